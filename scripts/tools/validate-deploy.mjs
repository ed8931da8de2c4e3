// Renders every kustomization under deploy/k8s (the overlays, the Dapr control plane's Configuration, the Kafka
// cluster) and checks what a cluster would receive: every object against the Kubernetes schemas
// (kubernetes-models), Dapr's CRD schemas (vendored in deploy/schemas/dapr) or, for the operators without an
// offline schema, the fields the project relies on; and the project's rules against its code (deploy/validate.mjs
// lists them). Run by scripts/test.sh; its tests (validate-deploy.test.mjs) break a copy of the manifests in each
// way the fixtures describe and expect the finding.
//   node scripts/tools/validate-deploy.mjs [repository root] [--release]
// --release also refuses the placeholders a release must replace (all-zero image digests, documentation addresses).
import { resolve } from "node:path";
import { validate } from "./deploy/validate.mjs";

const args = process.argv.slice(2);
const release = args.includes("--release");
const root = resolve(args.find((a) => !a.startsWith("--")) ?? ".");
const { errors, summary } = await validate(root, { release });
if (errors.length) {
  console.error(errors.join("\n"));
  console.error(`deploy: ${errors.length} finding(s) in ${summary}`);
  process.exit(1);
}
console.log(`deploy: valid: ${summary}`);
