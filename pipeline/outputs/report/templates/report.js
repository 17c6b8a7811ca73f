// report.html's table: every record from records.js, searched (words, phrases, OR, NOT, prefix*), filtered
// (type, language, folder, theme, flagged; also from the address, and by a name of names.html), sorted by a column and paged; the stage times from run.js.  Text goes in with textContent
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
      [(w.stages || {})[s.name] || s.name, s.computed.toLocaleString(document.documentElement.lang || 'fr'),
       s.cached.toLocaleString(document.documentElement.lang || 'fr'), s.seconds.toFixed(2).replace('.', w.decimal || '.')]
        .forEach(function (t) { tr.insertCell().textContent = t; });
    });
    var total = document.createElement('p'); total.className = 'muted';
    total.textContent = (w.run || '{seconds}').replace('{seconds}', run.seconds.toFixed(1).replace('.', w.decimal || '.'));
    times.className = ''; times.textContent = ''; times.appendChild(table); times.appendChild(total);
  }
  var all = window.GLANEUR_RECORDS, tbody = document.querySelector('#records-table tbody');
  if (!all || !tbody) { return; }
  var table = el('records-table'), size = parseInt(table.getAttribute('data-page-size'), 10) || 100;
  var sortBy = null, sortDown = false;
  var params = new URLSearchParams(location.search);
  ['q', 'type', 'lang', 'folder', 'theme'].forEach(function (k) { if (params.get(k) !== null) { el('f-' + k).value = params.get(k); } });
  if (params.get('flagged')) { el('f-flagged').checked = true; }
  // ?name=KIND:name (names.html's "and n more"): the records the index counts for that name, read from
  // names.js's rows (loaded as a script only then); a word search would find other records too
  var byName = params.get('name'), nameRows = null;
  if (byName) {
    var cut = byName.indexOf(':'), kind = byName.slice(0, cut), name = byName.slice(cut + 1), note = el('f-name');
    note.firstChild.textContent = note.getAttribute('data-template').replace('{name}', function () { return name; }) + ' ';
    note.hidden = false;
    var script = document.createElement('script'); script.src = 'names.js';
    script.onload = script.onerror = function () {
      nameRows = {};
      (window.GLANEUR_NAMES || []).forEach(function (n) {
        if (n[0] === kind && n[1] === name) { n[3].forEach(function (i) { nameRows[i] = true; }); } });
      apply();
    };
    document.head.appendChild(script);
  }
  function fold(t) { return t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae').toLowerCase(); }
  var WORD = /[^\p{L}\p{N}]+/u;
  var haystacks = [];  // the words of what the table shows, folded: made for a record when a query asks
  function haystack(i) {
    if (!haystacks[i]) {
      var r = all[i], set = haystacks[i] = {};
      fold([r[1], r[2], r[4], r[8].join(' '), r[12]].join(' ')).split(WORD).forEach(function (w) { if (w) { set[w] = true; } });
    }
    return haystacks[i];
  }
  // the columns, for sorting: what each cell shows, numbers as numbers
  var COLUMNS = [function (r) { return r[1]; }, function (r) { return r[2]; }, function (r) { return r[4]; },
    function (r) { return r[13]; }, function (r) { return r[8].join(', '); }, function (r) { return r[9]; },
    function (r) { return r[10]; }, function (r) { return r[11]; }];
  function row(i) {
    var r = all[i];
    var tr = document.createElement('tr');
    tr.setAttribute('data-type', r[3]); tr.setAttribute('data-lang', r[5]); tr.setAttribute('data-folder', r[6]);
    tr.setAttribute('data-flagged', r[7] ? '1' : ''); tr.setAttribute('data-theme', r[8].join('|'));
    var a = document.createElement('a'); a.href = r[0]; a.textContent = r[1];
    tr.insertCell().appendChild(a);
    [r[2], r[4], r[13], r[8].join(', '), r[9], r[10], r[11]].forEach(function (t) { tr.insertCell().textContent = number(t); });
    return tr;
  }
  var pager = window.GlaneurPager('f', tbody, size, all.length, row, 8), number = pager.number;
  // the text index: search/<key>.js per first two letters, loaded as scripts (a page opened from disk may
  // not fetch), each adding its words and their rows with GLANEUR_SEARCH_ADD; search/keys.js lists the parts
  // written, so that no script is asked for that is not there
  var index = {}, loading = {}, keys = {};
  (window.GLANEUR_SEARCH_KEYS || []).forEach(function (k) { keys[k] = true; });
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
  function inText(w, prefix) {  // the rows whose title or text holds the word w (or a word starting so); null: loading
    var key = keyOf(w);
    if (!keys[key]) { return {}; }
    var part = index[key];
    if (!part) { load(key); return null; }
    if (!prefix) { return (part[w] || []).reduce(function (o, i) { o[i] = true; return o; }, {}); }
    var rows = {};
    Object.keys(part).forEach(function (t) { if (t.indexOf(w) === 0) { part[t].forEach(function (i) { rows[i] = true; }); } });
    return rows;
  }
  // a query as glaneur search reads it: words (whole words, either number: the index holds both), "a
  // phrase" (here: each of its words), prefix*, NOT word, AND, and OR between alternatives.  A word of one
  // letter (the "l" of "l'ESS", the "d" of "d'élus") is not in the index: it is left out of the query, so
  // "l'ESS" finds the records that hold "ESS" (glaneur search also asks that "l" comes just before it); so is
  // a prefix of one letter ("a*": the index is in parts by a word's first two letters)
  function parse(q) {
    var groups = [[]], not = false;
    (q.match(/"[^"]*"?|\S+/g) || []).forEach(function (t) {
      if (t === 'OR') { groups.push([]); return; }
      if (t === 'AND' || t === '(' || t === ')') { return; }
      if (t === 'NOT') { not = true; return; }
      var neg = not; not = false;
      var prefix = t.charAt(0) !== '"' && /\*$/.test(t);
      var words = fold(t).split(WORD).filter(function (w) { return w.length > 1; });
      if (words.length) { groups[groups.length - 1].push({words: words, not: neg, prefix: prefix}); }
    });
    return groups.filter(function (g) { return g.length; });
  }
  function apply() {
    var groups = parse(el('f-q').value), type = el('f-type').value, lang = el('f-lang').value,
      folder = el('f-folder').value, theme = el('f-theme').value, flagged = el('f-flagged').checked;
    var pending = false;
    groups.forEach(function (g) { g.forEach(function (term) {
      term.rows = term.words.map(function (w) { var r = inText(w, term.prefix); if (r === null) { pending = true; } return r || {}; });
    }); });
    if (pending || (byName && nameRows === null)) { return; }  // apply runs again when the parts have loaded
    function has(term, i) {
      return term.words.every(function (w, k) {
        if (term.rows[k][i]) { return true; }
        if (!term.prefix) { return !!haystack(i)[w]; }
        return Object.keys(haystack(i)).some(function (h) { return h.indexOf(w) === 0; });
      });
    }
    var shown = [];
    all.forEach(function (r, i) {
      var found = !groups.length || groups.some(function (g) {
        return g.every(function (term) { return has(term, i) !== term.not; }); });
      if (found && (!type || r[3] === type) && (!lang || r[5] === lang) && (!folder || r[6] === folder)
          && (!theme || r[8].indexOf(theme) >= 0) && (!flagged || r[7]) && (!nameRows || nameRows[i])) { shown.push(i); }
    });
    pager.show(sort(shown));
  }
  function sort(shown) {
    if (sortBy === null) { return shown; }
    var get = COLUMNS[sortBy];
    return shown.sort(function (a, b) {
      var x = get(all[a]), y = get(all[b]);
      var c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), 'fr');
      return (sortDown ? -c : c) || a - b;
    });
  }
  Array.prototype.forEach.call(table.querySelectorAll('thead th'), function (th, k) {
    th.style.cursor = 'pointer'; th.setAttribute('aria-sort', 'none');
    th.addEventListener('click', function () {
      // a column of counts (entities, duplicates, changes) first shows the most; words go from A to Z
      var counts = all.length && typeof COLUMNS[k](all[0]) === 'number';
      sortDown = sortBy === k ? !sortDown : counts; sortBy = k;
      Array.prototype.forEach.call(table.querySelectorAll('thead th'), function (h) { h.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', sortDown ? 'descending' : 'ascending');
      pager.show(sort(pager.shown));
    });
  });
  ['f-q', 'f-type', 'f-lang', 'f-folder', 'f-theme', 'f-flagged'].forEach(function (id) {
    el(id).addEventListener('input', apply); el(id).addEventListener('change', apply); });
  apply();
})();
