// Version history and the line diff behind it, for the editor page.
export { type DiffLine, type DiffOp, diffLines, diffStats, splitLines } from './line-diff';
export {
  readVersion,
  trpcVersionsApi,
  type VersionDetail,
  VersionHistory,
  type VersionHistoryProps,
  type VersionSummary,
  type VersionsApi,
} from './VersionHistory';
