// Public surface.
export {};
