// report.html's table: every record from records.js, filtered (words, type, language, folder, theme,
// flagged; also from the address) and paged; the stage times from run.js.  Text goes in with textContent
// only: nothing from a document is ever parsed as markup.
(function () {
  function el(id) { return document.getElementById(id); }
  var times = el('stage-times'), run = window.GLANEUR_RUN;
  if (times && run && run.stages) {
    var w = JSON.parse(times.getAttribute('data-words') || '{}');
    var table = document.createElement('table'), head = table.insertRow();
    [w.stage, w.calculated, w.cached, w.seconds].forEach(function (t) {
      var th = document.createElement('th'); th.textContent = t; head.appendChild(th); });
    run.stages.forEach(function (s) {
      var tr = table.insertRow();
      [(w.stages || {})[s.name] || s.name, s.computed, s.cached, s.seconds.toFixed(2).replace('.', w.decimal || '.')]
        .forEach(function (t) { tr.insertCell().textContent = t; });
    });
    var total = document.createElement('p'); total.className = 'muted';
    total.textContent = (w.run || '{seconds}').replace('{seconds}', run.seconds.toFixed(1).replace('.', w.decimal || '.'));
    times.className = ''; times.textContent = ''; times.appendChild(table); times.appendChild(total);
  }
  var all = window.GLANEUR_RECORDS, tbody = document.querySelector('#records-table tbody');
  if (!all || !tbody) { return; }
  var size = parseInt(el('records-table').getAttribute('data-page-size'), 10) || 100, page = 0, shown = [];
  var params = new URLSearchParams(location.search);
  ['q', 'type', 'lang', 'folder', 'theme'].forEach(function (k) { if (params.get(k) !== null) { el('f-' + k).value = params.get(k); } });
  if (params.get('flagged')) { el('f-flagged').checked = true; }
  function fold(t) { return t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae').toLowerCase(); }
  var haystack = all.map(function (r) { return fold([r[1], r[2], r[4], r[8], r[12]].join(' ')); });
  function row(r) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-type', r[3]); tr.setAttribute('data-lang', r[5]); tr.setAttribute('data-folder', r[6]);
    tr.setAttribute('data-flagged', r[7] ? '1' : ''); tr.setAttribute('data-theme', r[8]);
    var a = document.createElement('a'); a.href = r[0]; a.textContent = r[1];
    tr.insertCell().appendChild(a);
    [r[2], r[4], r[5], r[8].split(' ').join(', '), r[9], r[10], r[11]].forEach(function (t) { tr.insertCell().textContent = t; });
    return tr;
  }
  function draw() {
    tbody.textContent = '';
    shown.slice(page * size, (page + 1) * size).forEach(function (i) { tbody.appendChild(row(all[i])); });
    el('f-count').textContent = el('f-count').getAttribute('data-template')
      .replace('{shown}', shown.length).replace('{total}', all.length);
    el('f-prev').disabled = page === 0; el('f-next').disabled = (page + 1) * size >= shown.length;
  }
  // the text index: search/<key>.js per first two letters, loaded as scripts (a page opened from disk may
  // not fetch), each adding its words and their rows with GLANEUR_SEARCH_ADD
  var index = {}, loading = {};
  window.GLANEUR_SEARCH_ADD = function (key, terms) {
    var part = index[key] = index[key] || {};
    Object.keys(terms).forEach(function (t) { part[t] = (part[t] || []).concat(terms[t]); });
  };
  function keyOf(w) { return w.slice(0, 2).replace(/[^a-z0-9]/g, '_'); }
  function load(key) {
    if (index[key] || loading[key]) { return; }
    loading[key] = true;
    var s = document.createElement('script'); s.src = 'search/' + key + '.js';
    s.onload = s.onerror = function () { index[key] = index[key] || {}; apply(); };
    document.head.appendChild(s);
  }
  function inText(w) {  // the rows whose title or text holds a word starting with w (null: not loaded yet)
    if (w.length < 2) { return {}; }
    var part = index[keyOf(w)];
    if (!part) { load(keyOf(w)); return null; }
    var rows = {};
    Object.keys(part).forEach(function (t) { if (t.indexOf(w) === 0) { part[t].forEach(function (i) { rows[i] = true; }); } });
    return rows;
  }
  function apply() {
    // a word and its other number: "cantines" looks for "cantine", which "cantines" holds too
    var words = fold(el('f-q').value).split(/\s+/).filter(Boolean).map(function (w) {
        return w.length > 3 ? w.replace(/(eau|eu)x$/, '$1').replace(/aux$/, 'a').replace(/s$/, '') : w; }), type = el('f-type').value, lang = el('f-lang').value,
      folder = el('f-folder').value, theme = el('f-theme').value, flagged = el('f-flagged').checked;
    var texts = words.map(inText);
    shown = [];
    all.forEach(function (r, i) {
      if (words.every(function (w, k) { return haystack[i].indexOf(w) >= 0 || (texts[k] && texts[k][i]); })
          && (!type || r[3] === type)
          && (!lang || r[5] === lang) && (!folder || r[6] === folder)
          && (!theme || (' ' + r[8] + ' ').indexOf(' ' + theme + ' ') >= 0) && (!flagged || r[7])) { shown.push(i); }
    });
    page = 0; draw();
  }
  ['f-q', 'f-type', 'f-lang', 'f-folder', 'f-theme', 'f-flagged'].forEach(function (id) {
    el(id).addEventListener('input', apply); el(id).addEventListener('change', apply); });
  el('f-prev').addEventListener('click', function () { if (page > 0) { page--; draw(); } });
  el('f-next').addEventListener('click', function () { if ((page + 1) * size < shown.length) { page++; draw(); } });
  apply();
})();
