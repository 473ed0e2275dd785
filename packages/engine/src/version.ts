// The engine version goes into every result's provenance and every cache key: bump it when results change.
export const ENGINE_VERSION = '0.1.0';
