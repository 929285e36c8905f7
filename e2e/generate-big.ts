/**
 * Writes the e2e `big` server's data: a small generated cluster whose pipeline-0 has the benchmark's 150 tasks, as
 * YAML in the directory given (scripts/e2e-big-server.sh). The 150-task DAG spec then runs in every `npm test`
 * instead of only where someone pointed DAG_BIG_BASE_URL at a benchmark server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { generateCluster } from '../lib/demo/generate';

const dir = process.argv[2];
if (!dir) throw new Error('usage: generate-big.ts DIR');
mkdirSync(dir, { recursive: true });
const objects = generateCluster({ pipelines: 10, runsPerPipeline: 2, taskRunsPerRun: 3, namespaces: 2, bigPipelineTasks: 150 });
writeFileSync(join(dir, 'cluster.yaml'), objects.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
console.error(`generate-big: ${objects.length} objects in ${dir}`);
