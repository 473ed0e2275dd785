-- DropForeignKey
ALTER TABLE "BacktestRun" DROP CONSTRAINT "BacktestRun_datasetId_fkey";

-- DropForeignKey
ALTER TABLE "BacktestRun" DROP CONSTRAINT "BacktestRun_strategyVersionId_fkey";

-- DropForeignKey
ALTER TABLE "StrategyVersion" DROP CONSTRAINT "StrategyVersion_createdById_fkey";

-- AlterTable
ALTER TABLE "StrategyVersion" ALTER COLUMN "createdById" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "StrategyVersion" ADD CONSTRAINT "StrategyVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BacktestRun" ADD CONSTRAINT "BacktestRun_strategyVersionId_fkey" FOREIGN KEY ("strategyVersionId") REFERENCES "StrategyVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BacktestRun" ADD CONSTRAINT "BacktestRun_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
