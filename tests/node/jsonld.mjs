// node jsonld.mjs <url>...
// Loads each JSON-LD document with jsonld.js's default document loader and converts it to N-Quads; prints
// {url, quads} (or {url, error}) as a JSON line per document.
import jsonld from 'jsonld';

for (const url of process.argv.slice(2)) {
  try {
    const nquads = await jsonld.toRDF(url, { format: 'application/n-quads' });
    console.log(JSON.stringify({ url, quads: nquads.split('\n').filter((line) => line).length }));
  } catch (e) {
    console.log(JSON.stringify({ url, error: `${e.name}: ${e.message}` }));
  }
}
