// The query page: YASGUI on this server's endpoint, with the example queries as links.
const examples = JSON.parse(document.getElementById("examples").textContent);
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: new URL("/sparql", location.href).href, method: "POST" },
  copyEndpointOnNewTab: false, endpointCatalogueOptions: { getData: () => [] },
  yasqe: { value: examples[0] },
});
document.querySelectorAll("a.example").forEach(a => a.addEventListener("click", ev => {
  ev.preventDefault();
  yasgui.getTab().setQuery(examples[Number(a.dataset.n)]);
}));
