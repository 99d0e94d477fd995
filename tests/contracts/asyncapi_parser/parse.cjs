// Parse AsyncAPI documents with the official parser (@asyncapi/parser) and print, one JSON line per document:
//   {"path", "valid", "diagnostics": [{"severity", "code", "message", "path"}], "reading": {...} | null}
// `valid` is the parser's verdict (it returns a document only when no diagnostic is an error); `reading` is what
// another system gets from the parsed document: channels with their Kafka bindings, operations with theirs, and
// each message's headers, payload properties and key.
// The parser is found through NODE_PATH (make installs it into .tools/asyncapi-parser/node_modules).
"use strict";

const fs = require("node:fs");
const { Parser, DiagnosticSeverity } = require("@asyncapi/parser");

const SEVERITY = Object.fromEntries(Object.entries(DiagnosticSeverity).map(([name, value]) => [value, name]));

function kafka(bindings) {
  const binding = bindings.get("kafka");
  return binding ? { ...binding.value(), bindingVersion: binding.version() } : null;
}

// A schema as written, without the ids the parser adds to every schema it resolves.
function plain(schema) {
  return JSON.parse(JSON.stringify(schema.json(), (key, value) => (key.startsWith("x-parser-") ? undefined : value)));
}

function properties(schema) {
  if (!schema) return null;
  return {
    properties: Object.fromEntries(Object.entries(schema.properties() || {}).map(([name, s]) => [name, plain(s)])),
    required: schema.required() || [],
  };
}

function reading(document) {
  return {
    channels: document.channels().all().map((channel) => ({
      id: channel.id(),
      address: channel.address(),
      messages: channel.messages().all().map((message) => message.id()),
      kafka: kafka(channel.bindings()),
    })),
    operations: document.operations().all().map((operation) => ({
      id: operation.id(),
      action: operation.action(),
      channels: operation.channels().all().map((channel) => channel.address()),
      messages: operation.messages().all().map((message) => message.id()),
      kafka: kafka(operation.bindings()),
    })),
    messages: document.messages().all().map((message) => ({
      id: message.id(),
      name: message.name(),
      headers: properties(message.headers()),
      payload: properties(message.payload()),
      kafka: kafka(message.bindings()),
    })),
  };
}

async function verdict(parser, path) {
  const { document, diagnostics } = await parser.parse(fs.readFileSync(path, "utf8"), { source: path });
  return {
    path,
    valid: document !== undefined,
    diagnostics: diagnostics.map((d) => ({
      severity: SEVERITY[d.severity],
      code: String(d.code),
      message: d.message,
      path: d.path.join("/"),
    })),
    reading: document === undefined ? null : reading(document),
  };
}

async function main(paths) {
  const parser = new Parser();
  for (const path of paths) {
    process.stdout.write(JSON.stringify(await verdict(parser, path)) + "\n");
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
