-- AlterTable
ALTER TABLE "BacktestRun" ADD COLUMN     "bars" INTEGER,
ADD COLUMN     "provenance" JSONB;
