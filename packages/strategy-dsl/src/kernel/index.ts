// The streaming kernel that runs compiled plans.
export { generateStepSource } from './codegen';
export { createKernel, type Kernel, type KernelOptions, type KernelSnapshot } from './kernel';
