// candleflow command line.
export {};
