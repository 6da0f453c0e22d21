// node comunica.mjs <sparql|traversal> <query> <source>...
// Runs a SELECT query with Comunica over the sources (a URL, or sparql@<endpoint URL>) and prints each solution
// as a JSON line. "traversal" is Comunica's link-traversal engine: it follows the links of the documents it reads.
const [engineName, query, ...sources] = process.argv.slice(2);
const pkg = engineName === 'traversal' ? '@comunica/query-sparql-link-traversal' : '@comunica/query-sparql';
const { QueryEngine } = await import(pkg);
const engine = new QueryEngine();
const parsed = sources.map((s) => (s.startsWith('sparql@') ? { type: 'sparql', value: s.slice(7) } : s));
// Link traversal reaches vocabulary IRIs on hosts the tests cannot reach: those documents are skipped.
const stream = await engine.queryBindings(query, { sources: parsed, lenient: engineName === 'traversal' });
for (const bindings of await stream.toArray()) {
  const row = {};
  for (const [variable, term] of bindings) row[variable.value] = term.value;
  console.log(JSON.stringify(row));
}
