import { writeWorkflowBundle } from './workflow-bundle';

/** `node workflows/dist/worker/build-workflow-bundle.js FILE`: the Dockerfile's bundle step. */
const file = process.argv[2];
if (!file) {
  console.error('usage: build-workflow-bundle.js FILE');
  process.exit(2);
}
writeWorkflowBundle(file).then(
  () => console.log(`workflow bundle written to ${file}`),
  (error: Error) => {
    console.error(`workflow bundle failed: ${error.message}`);
    process.exit(1);
  },
);
