// names.html: every name of names.js (the most named first), searched by its words (accents folded),
// filtered by kind and paged; each with the first records that name it (from records.js) and a link to the
// report's table showing them all (report.html?name=KIND:name).  Text goes in with textContent only.
(function () {
  function el(id) { return document.getElementById(id); }
  var names = window.GLANEUR_NAMES, records = window.GLANEUR_RECORDS || [], tbody = document.querySelector('#names-table tbody');
  if (!names || !tbody) { return; }
  var table = el('names-table'), size = parseInt(table.getAttribute('data-page-size'), 10) || 100;
  var links = parseInt(table.getAttribute('data-links'), 10) || 10;
  var kinds = {};
  Array.prototype.forEach.call(el('n-kind').options, function (o) { kinds[o.value] = o.textContent; });
  var params = new URLSearchParams(location.search);
  if (params.get('q') !== null) { el('n-q').value = params.get('q'); }
  if (params.get('kind') !== null) { el('n-kind').value = params.get('kind'); }
  function fold(t) { return t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae').toLowerCase(); }
  var folded = names.map(function (n) { return fold(n[1]); });
  function row(i) {
    var n = names[i];
    var tr = document.createElement('tr'); tr.setAttribute('data-kind', n[0]);
    var b = document.createElement('b'); b.textContent = n[1]; tr.insertCell().appendChild(b);
    tr.insertCell().textContent = kinds[n[0]] || n[0];
    tr.insertCell().textContent = number(n[2]);
    var cell = tr.insertCell();
    n[3].slice(0, links).forEach(function (i, k) {
      var r = records[i]; if (!r) { return; }
      if (k) { cell.appendChild(document.createTextNode(', ')); }
      var a = document.createElement('a'); a.href = r[0]; a.textContent = r[1]; cell.appendChild(a);
    });
    if (n[2] > links) {
      var more = document.createElement('a');
      more.href = 'report.html?name=' + encodeURIComponent(n[0] + ':' + n[1]);
      more.textContent = table.getAttribute('data-more').replace('{n}', number(n[2] - links));
      cell.appendChild(document.createTextNode(' ')); cell.appendChild(more);
    }
    return tr;
  }
  var pager = window.GlaneurPager('n', tbody, size, names.length, row, 4), number = pager.number;
  function apply() {
    var words = fold(el('n-q').value).split(/\s+/).filter(Boolean), kind = el('n-kind').value;
    var shown = [];
    names.forEach(function (n, i) {
      if ((!kind || n[0] === kind) && words.every(function (w) { return folded[i].indexOf(w) >= 0; })) { shown.push(i); }
    });
    pager.show(shown);
  }
  el('n-q').addEventListener('input', apply); el('n-kind').addEventListener('change', apply);
  apply();
})();
