// The streaming kernel that runs compiled plans.
export { generateStepSource } from './codegen';
export type { BarColumns, OrdersCallback } from './fast';
export {
  createKernel,
  type Kernel,
  type KernelOptions,
  type KernelRunInput,
  type KernelSnapshot,
} from './kernel';
