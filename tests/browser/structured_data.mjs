// Checks pages' JSON-LD with @adobe/structured-data-validator, offline.
//
// The validator checks every node against the schema.org vocabulary (known types; properties those
// types or their ancestors accept) and applies Google's rich-result rules for the types it knows.
// It is given the vocabulary as schema.org publishes it, read from @vocabulary/schema's N-Quads
// file instead of being fetched from schema.org.
//
// Reads {"page name": [JSON-LD block, ...], ...} on standard input; writes
// {"page name": ["ERROR: message (where)", ...], ...} on standard output.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import Validator from '@adobe/structured-data-validator';

const SCHEMA = 'http://schema.org/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDF_PROPERTY = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#Property';
const RDFS_CLASS = 'http://www.w3.org/2000/01/rdf-schema#Class';
const SUBCLASS_OF = 'http://www.w3.org/2000/01/rdf-schema#subClassOf';
const DOMAIN_INCLUDES = `${SCHEMA}domainIncludes`;
// Statements whose subject, predicate and object are all IRIs: all the vocabulary's structure is.
const STATEMENT = /^<([^>]+)> <([^>]+)> <([^>]+)>/;

// The vocabulary in the shape the validator reads from schema.org's JSON-LD file: classes with
// their parents, properties with the classes they apply to.
function schemaOrgVocabulary() {
  const file = createRequire(import.meta.url).resolve('@vocabulary/schema/schema.nq');
  const entities = new Map();
  const entity = (iri) => {
    const id = `schema:${iri.slice(SCHEMA.length)}`;
    if (!entities.has(id)) {
      entities.set(id, { '@id': id, links: { [SUBCLASS_OF]: [], [DOMAIN_INCLUDES]: [] } });
    }
    return entities.get(id);
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = STATEMENT.exec(line);
    if (!match || !match[1].startsWith(SCHEMA)) {
      continue;
    }
    const [, subject, predicate, object] = match;
    if (predicate === RDF_TYPE && (object === RDFS_CLASS || object === RDF_PROPERTY)) {
      entity(subject)['@type'] = object === RDFS_CLASS ? 'rdfs:Class' : 'rdf:Property';
    } else if ((predicate === SUBCLASS_OF || predicate === DOMAIN_INCLUDES) && object.startsWith(SCHEMA)) {
      entity(subject).links[predicate].push({ '@id': `schema:${object.slice(SCHEMA.length)}` });
    }
  }
  const graph = [];
  for (const { links, ...node } of entities.values()) {
    if (node['@type'] === 'rdfs:Class') {
      graph.push({ ...node, 'rdfs:subClassOf': links[SUBCLASS_OF] });
    } else if (node['@type'] === 'rdf:Property') {
      graph.push({ ...node, 'schema:domainIncludes': links[DOMAIN_INCLUDES] });
    }
  }
  if (graph.length < 1000) {
    throw new Error(`Only ${graph.length} schema.org terms read from ${file}: is @vocabulary/schema installed?`);
  }
  return { '@graph': graph };
}

// The validator's input, as @marbec/web-auto-extractor would give it: top-level nodes by type.
function byType(blocks) {
  const nodes = {};
  for (const block of blocks) {
    for (const node of [block].flat().flatMap((item) => item['@graph'] ?? [item])) {
      const type = [node['@type']].flat()[0] ?? '(no type)';
      (nodes[type] ??= []).push(structuredClone(node));
    }
  }
  return { jsonld: nodes };
}

function describe(issue) {
  const where = (issue.path ?? [])
    .map((step) => [step.property, step.type].filter(Boolean).join(' '))
    .join(' > ');
  return `${issue.severity}: ${issue.issueMessage} (${where || issue.rootType})`;
}

const pages = JSON.parse(readFileSync(0, 'utf8'));
const validator = new Validator(schemaOrgVocabulary());
const report = {};
for (const [name, blocks] of Object.entries(pages)) {
  report[name] = (await validator.validate(byType(blocks))).map(describe);
}
process.stdout.write(JSON.stringify(report));
