// The pages of one table, for report.html and names.html: `prefix` names its elements (PREFIX-count with
// its templates, PREFIX-page, PREFIX-prev/-next above and PREFIX-page2, -prev2, -next2 below).  `show`
// (row indexes, in order) sets what the table holds, page 1 first; `draw` writes the current page, a
// "none" row when nothing is shown.  Text goes in with textContent only.
window.GlaneurPager = function (prefix, tbody, size, total, row, columns) {
  function el(id) { return document.getElementById(id); }
  function number(n) { return typeof n === 'number' ? n.toLocaleString(document.documentElement.lang || 'fr') : n; }
  var pager = {page: 0, shown: [], number: number};
  var count = el(prefix + '-count');
  pager.draw = function () {
    tbody.textContent = '';
    var pages = Math.max(1, Math.ceil(pager.shown.length / size));
    if (!pager.shown.length) {
      var td = tbody.insertRow().insertCell(); td.colSpan = columns; td.className = 'muted';
      td.textContent = count.getAttribute('data-none');
    }
    pager.shown.slice(pager.page * size, (pager.page + 1) * size).forEach(function (i) { tbody.appendChild(row(i)); });
    count.textContent = count.getAttribute('data-template')
      .replace('{shown}', number(pager.shown.length)).replace('{total}', number(total));
    ['', '2'].forEach(function (k) {
      el(prefix + '-page' + k).textContent = el(prefix + '-page').getAttribute('data-template')
        .replace('{page}', number(pager.page + 1)).replace('{pages}', number(pages));
      el(prefix + '-prev' + k).disabled = pager.page === 0;
      el(prefix + '-next' + k).disabled = (pager.page + 1) * size >= pager.shown.length;
    });
  };
  pager.show = function (shown) { pager.shown = shown; pager.page = 0; pager.draw(); };
  ['', '2'].forEach(function (k) {
    el(prefix + '-prev' + k).addEventListener('click', function () {
      if (pager.page > 0) { pager.page--; pager.draw(); } });
    el(prefix + '-next' + k).addEventListener('click', function () {
      if ((pager.page + 1) * size < pager.shown.length) { pager.page++; pager.draw(); } });
  });
  return pager;
};
