-- CreateEnum
CREATE TYPE "TrialPhase" AS ENUM ('SEARCH', 'IN_SAMPLE', 'OUT_OF_SAMPLE');

-- CreateTable
CREATE TABLE "Optimization" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "strategyVersionId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "settings" JSONB NOT NULL,
    "settingsHash" TEXT NOT NULL,
    "engineVersion" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "totalTrials" INTEGER NOT NULL DEFAULT 0,
    "doneTrials" INTEGER NOT NULL DEFAULT 0,
    "cachedTrials" INTEGER NOT NULL DEFAULT 0,
    "stage" TEXT NOT NULL DEFAULT 'queued',
    "best" JSONB,
    "report" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "finalRunId" TEXT,

    CONSTRAINT "Optimization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OptimizationTrial" (
    "optimizationId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "phase" "TrialPhase" NOT NULL,
    "fold" INTEGER,
    "params" JSONB NOT NULL,
    "resultKey" TEXT NOT NULL,
    "objective" DOUBLE PRECISION,
    "feasible" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "metrics" JSONB,
    "cached" BOOLEAN NOT NULL DEFAULT false,
    "evaluatedAt" TIMESTAMP(3),

    CONSTRAINT "OptimizationTrial_pkey" PRIMARY KEY ("optimizationId","index")
);

-- CreateTable
CREATE TABLE "TrialResult" (
    "key" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,
    "returns" BYTEA NOT NULL,
    "engineVersion" TEXT NOT NULL,
    "cpuMs" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrialResult_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Optimization_ownerId_queuedAt_idx" ON "Optimization"("ownerId", "queuedAt");

-- CreateIndex
CREATE INDEX "Optimization_ownerId_status_idx" ON "Optimization"("ownerId", "status");

-- CreateIndex
CREATE INDEX "Optimization_strategyVersionId_idx" ON "Optimization"("strategyVersionId");

-- CreateIndex
CREATE INDEX "Optimization_datasetId_idx" ON "Optimization"("datasetId");

-- CreateIndex
CREATE INDEX "Optimization_finalRunId_idx" ON "Optimization"("finalRunId");

-- CreateIndex
CREATE INDEX "OptimizationTrial_optimizationId_phase_fold_idx" ON "OptimizationTrial"("optimizationId", "phase", "fold");

-- CreateIndex
CREATE INDEX "OptimizationTrial_resultKey_idx" ON "OptimizationTrial"("resultKey");

-- AddForeignKey
ALTER TABLE "Optimization" ADD CONSTRAINT "Optimization_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Optimization" ADD CONSTRAINT "Optimization_strategyVersionId_fkey" FOREIGN KEY ("strategyVersionId") REFERENCES "StrategyVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Optimization" ADD CONSTRAINT "Optimization_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Optimization" ADD CONSTRAINT "Optimization_finalRunId_fkey" FOREIGN KEY ("finalRunId") REFERENCES "BacktestRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OptimizationTrial" ADD CONSTRAINT "OptimizationTrial_optimizationId_fkey" FOREIGN KEY ("optimizationId") REFERENCES "Optimization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
