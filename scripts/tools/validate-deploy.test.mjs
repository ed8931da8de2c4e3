// The deploy check must fail on broken manifests: each fixture in deploy/fixtures/ breaks a copy of the repository
// in one way (text edits of deploy/, dapr.yaml, README.md, the services' code; a deleted or added file) and names the
// finding it expects. A fixture whose edit no longer finds its text fails too, so fixtures cannot silently stop
// breaking anything. Run by scripts/test.sh:  node --test scripts/tools/validate-deploy.test.mjs
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import { validate } from "./deploy/validate.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const fixturesDir = join(here, "deploy/fixtures");

// What the check reads, without build output: deploy/, the code it derives facts from, README.md, dapr.yaml.
const COPIED = ["deploy", "protos", "services", "README.md", "dapr.yaml", "Directory.Build.targets", ".dockerignore"];
const skip = (src) => !/[/\\](bin|obj|node_modules|Migrations)([/\\]|$)/.test(src);

function copyRepository() {
  const dir = mkdtempSync(join(tmpdir(), "watershed-deploy-"));
  for (const entry of COPIED) cpSync(join(repo, entry), join(dir, entry), { recursive: true, filter: skip });
  return dir;
}

function applyEdits(dir, fixture, name) {
  for (const edit of fixture.edits) {
    if (edit.delete) { rmSync(join(dir, edit.delete), { recursive: true }); continue; }
    if (edit.create) { writeFileSync(join(dir, edit.create), edit.content); continue; }
    const path = join(dir, edit.file);
    const text = readFileSync(path, "utf8");
    const count = text.split(edit.replace).length - 1;
    assert.equal(count, 1, `${name}: "${edit.replace.slice(0, 60)}…" must occur exactly once in ${edit.file} (found ${count}); the fixture no longer applies`);
    writeFileSync(path, text.replace(edit.replace, () => edit.with ?? ""));
  }
}

test("the repository's manifests pass every check", async () => {
  const { errors } = await validate(repo);
  assert.deepEqual(errors, []);
});

test("a release refuses the placeholders a release step must replace", async () => {
  const { errors } = await validate(repo, { release: true });
  assert.ok(errors.some((e) => e.startsWith("[images] production/Deployment/consultation") && e.includes("placeholder digest")), errors.join("\n"));
  assert.ok(errors.some((e) => e.startsWith("[network]") && e.includes("192.0.2.1/32 is a documentation address")), errors.join("\n"));
});

const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith(".yaml")).sort();

test("every check has a fixture that breaks it", () => {
  const checks = ["render", "schema", "workload", "security", "dapr", "autoscaling", "app-ids", "topics", "scopes", "ports", "access", "resiliency", "tracing", "mtls", "secrets", "database", "images", "network", "docker", "kafka", "code", "web"];
  const covered = new Set(fixtures.map((f) => /^\[([\w-]+)\]/.exec(yaml.load(readFileSync(join(fixturesDir, f), "utf8")).expect)?.[1]));
  assert.deepEqual(checks.filter((c) => !covered.has(c)), []);
});

describe("broken manifests fail", { concurrency: 4 }, () => {
  for (const file of fixtures) {
    test(file.replace(/\.yaml$/, ""), async () => {
      const fixture = yaml.load(readFileSync(join(fixturesDir, file), "utf8"));
      const dir = copyRepository();
      try {
        applyEdits(dir, fixture, file);
        const { errors } = await validate(dir, { release: fixture.release === true });
        assert.ok(errors.some((e) => e.includes(fixture.expect)), `expected a finding containing\n  ${fixture.expect}\ngot:\n  ${errors.join("\n  ") || "(none)"}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
