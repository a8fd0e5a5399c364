/**
 * The search page `GET /` serves: one self-contained HTML file (inline CSS and JS, no build step,
 * no requests but to this server). Kept in a module as strings so the built package carries it
 * without copying assets next to `dist/`.
 *
 * Safety: the only markup the page inserts is the engine's `html` forms (document text escaped,
 * highlight tags around it); every other value — document fields, facet values, error messages —
 * goes in with `textContent`. The Content-Security-Policy allows exactly this page's script and
 * style (by hash), so even markup that slipped through could not run.
 */
import { createHash } from 'node:crypto'

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --line: #d1d9e0;
  --accent: #0b57d0; --accent-fg: #fff; --mark: #ffe98a; --chip: #eef2f7; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #30363d; --accent: #7aa7ff;
    --accent-fg: #0d1117; --mark: #6b5a00; --chip: #1c2430; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 16px/1.7 system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC",
    "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.top { border-bottom: 1px solid var(--line); padding: 12px 16px; }
.top-inner, .layout { max-width: 1080px; margin: 0 auto; }
.top-inner { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
.brand { margin: 0; font-size: 1.25rem; letter-spacing: .1em; }
#search-form { display: flex; flex: 1 1 280px; gap: 8px; }
#q { flex: 1; min-width: 0; font: inherit; padding: 6px 12px; color: inherit; background: transparent;
  border: 1px solid var(--line); border-radius: 8px; }
button { font: inherit; padding: 6px 16px; border-radius: 8px; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-fg); }
button.plain { background: transparent; color: var(--accent); }
.layout { padding: 16px; display: grid; grid-template-columns: 232px minmax(0, 1fr); gap: 32px; }
#filters h2 { font-size: 1rem; margin: 0 0 8px; }
#filters h3, #date-form legend { font-size: .9375rem; margin: 12px 0 4px; padding: 0; font-weight: 600; }
#date-form fieldset { border: 0; margin: 0; padding: 0; }
#date-form label { display: flex; justify-content: space-between; align-items: center; gap: 8px; margin: 4px 0; }
#date-form input { font: inherit; color: inherit; background: transparent; border: 1px solid var(--line);
  border-radius: 6px; padding: 2px 6px; min-width: 0; }
#date-form button { margin-top: 4px; padding: 2px 12px; }
.facet ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 2px; }
.facet a { display: flex; justify-content: space-between; gap: 8px; padding: 2px 8px; border-radius: 6px;
  text-decoration: none; color: inherit; }
.facet a:hover { background: var(--chip); }
.facet a[aria-current="true"] { background: var(--accent); color: var(--accent-fg); }
.count { color: var(--muted); font-variant-numeric: tabular-nums; }
.facet a[aria-current="true"] .count { color: inherit; }
#active-filters { display: flex; flex-wrap: wrap; gap: 6px; }
#active-filters button { padding: 0 10px; font-size: .875rem; background: var(--chip); color: inherit; border-color: var(--line); }
#sort-box { display: flex; gap: 8px; align-items: center; margin-top: 12px; }
#sort { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
#status { color: var(--muted); margin: 0 0 8px; }
#error { color: #b42318; margin: 0 0 8px; }
#results { list-style: none; margin: 0; padding: 0; }
.hit { padding: 12px 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.hit h2 { font-size: 1.125rem; line-height: 1.5; margin: 0 0 4px; }
.meta { display: flex; flex-wrap: wrap; gap: 0 12px; margin: 0; color: var(--muted); font-size: .875rem; }
.snippet { margin: 4px 0; }
mark { background: var(--mark); color: inherit; border-radius: 2px; padding: 0 1px; }
details { margin-top: 4px; font-size: .9375rem; }
summary { cursor: pointer; color: var(--accent); }
.full { white-space: pre-wrap; margin: 4px 0 0; }
#pager { display: flex; align-items: center; justify-content: center; gap: 16px; margin: 16px 0; }
#pager a { padding: 4px 12px; border: 1px solid var(--line); border-radius: 8px; text-decoration: none; }
#pager a:not([href]) { color: var(--muted); opacity: .6; }
@media (max-width: 720px) {
  .layout { grid-template-columns: minmax(0, 1fr); gap: 12px; padding: 12px; }
  .facet ul { flex-direction: row; flex-wrap: wrap; gap: 4px; }
  .facet a { border: 1px solid var(--line); }
}
`

// Plain ES2017 without template literals or backslashes, so it sits in this string untouched.
const SCRIPT = `
(function () {
  'use strict';
  var PAGE_SIZE = 10;
  var LABELS = { date: '日期', reporters: '记者', contributors: '通讯员', column: '栏目', author: '作者',
    authors: '作者', source: '来源', category: '分类', tags: '标签', views: '阅读量' };
  var root = document.documentElement;
  function $(id) { return document.getElementById(id); }
  var form = $('search-form'), input = $('q'), statusEl = $('status'), errorEl = $('error');
  var list = $('results'), pager = $('pager'), prev = $('prev'), next = $('next'), pageInfo = $('page-info');
  var filtersEl = $('filters'), activeEl = $('active-filters'), facetsEl = $('facets');
  var dateForm = $('date-form'), dateFields = $('date-fields'), sortBox = $('sort-box'), sortEl = $('sort');
  var columns = [];
  var seq = 0, controller = null;

  function label(name) { return Object.prototype.hasOwnProperty.call(LABELS, name) ? LABELS[name] : name; }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function valueText(v) {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.map(valueText).join('、');
    if (isObject(v)) {
      if ('gte' in v || 'lte' in v || 'gt' in v || 'lt' in v) {
        return (v.gte !== undefined ? v.gte : v.gt !== undefined ? v.gt : '') + ' 至 ' + (v.lte !== undefined ? v.lte : v.lt !== undefined ? v.lt : '');
      }
      return JSON.stringify(v);
    }
    return String(v);
  }

  // The page's state lives in its URL: ?q=…&page=2&filter={json}&sort=date:desc,_score
  function readState() {
    var p = new URLSearchParams(location.search);
    var page = parseInt(p.get('page') || '1', 10);
    var filter = null, bad = false;
    var raw = p.get('filter');
    if (raw) {
      try { filter = JSON.parse(raw); } catch (e) { bad = true; }
      if (!isObject(filter)) { filter = null; bad = true; }
    }
    return { q: p.get('q') || '', page: page > 0 ? page : 1, filter: filter, sort: p.get('sort') || '', badFilter: bad };
  }
  function hasFilter(s) { return s.filter !== null && Object.keys(s.filter).length > 0; }
  function urlFor(s) {
    var p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.page > 1) p.set('page', String(s.page));
    if (hasFilter(s)) p.set('filter', JSON.stringify(s.filter));
    if (s.sort) p.set('sort', s.sort);
    var qs = p.toString();
    return location.pathname + (qs ? '?' + qs : '');
  }
  function change(s, patch) {
    var out = { q: s.q, page: s.page, filter: s.filter, sort: s.sort, badFilter: false };
    Object.keys(patch).forEach(function (k) { out[k] = patch[k]; });
    return out;
  }
  function withFilter(s, name, value) {
    var filter = {};
    if (s.filter) Object.keys(s.filter).forEach(function (k) { filter[k] = s.filter[k]; });
    if (value === undefined) delete filter[name]; else filter[name] = value;
    return change(s, { filter: Object.keys(filter).length ? filter : null, page: 1 });
  }
  function go(s) {
    var url = urlFor(s);
    if (url === location.pathname + location.search) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    render(s);
  }
  // A real link (middle-click, copy, keyboard Enter) that navigates in place on a plain click.
  function link(a, s, after) {
    a.href = urlFor(s);
    a.onclick = function (ev) {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      go(s);
      if (after) after();
    };
  }
  function unlink(a) { a.removeAttribute('href'); a.onclick = null; a.setAttribute('aria-disabled', 'true'); }

  function yearRange(year) { return { gte: year + '-01-01', lte: year + '-12-31' }; }
  function facetActive(s, col, value) {
    var current = s.filter ? s.filter[col.name] : undefined;
    if (col.type === 'date') {
      return isObject(current) && current.gte === value + '-01-01' && current.lte === value + '-12-31' && Object.keys(current).length === 2;
    }
    return current === value || (Array.isArray(current) && current.length === 1 && current[0] === value);
  }

  function setup(schema) {
    columns = (schema && schema.columns) || [];
    var dates = columns.filter(function (c) { return c.type === 'date'; });
    var sortable = columns.filter(function (c) { return c.type === 'date' || c.type === 'number'; });
    dates.forEach(function (c) {
      var set = el('fieldset');
      set.appendChild(el('legend', '', label(c.name)));
      ['gte', 'lte'].forEach(function (bound) {
        var row = el('label', '', bound === 'gte' ? '从' : '到');
        var box = el('input');
        box.type = 'date';
        box.name = c.name + '.' + bound;
        box.dataset.field = c.name;
        box.dataset.bound = bound;
        row.appendChild(box);
        set.appendChild(row);
      });
      dateFields.appendChild(set);
    });
    dateForm.hidden = dates.length === 0;
    sortable.forEach(function (c) {
      var newer = c.type === 'date' ? '（新→旧）' : '（大→小）', older = c.type === 'date' ? '（旧→新）' : '（小→大）';
      [[c.name + ':desc,_score', label(c.name) + newer], [c.name + ':asc,_score', label(c.name) + older]].forEach(function (o) {
        var option = el('option', '', o[1]);
        option.value = o[0];
        sortEl.appendChild(option);
      });
    });
    sortBox.hidden = sortable.length === 0;
    filtersEl.hidden = columns.length === 0;
  }
  function facetOptions() {
    var facets = {}, any = false;
    columns.forEach(function (c) {
      if (c.type === 'keyword') { facets[c.name] = { limit: 10 }; any = true; }
      else if (c.type === 'date') { facets[c.name] = { interval: 'year' }; any = true; }
    });
    return any ? facets : null;
  }

  function renderControls(s) {
    if (input.value.trim() !== s.q) input.value = s.q;
    sortEl.value = s.sort;
    if (sortEl.value !== s.sort) sortEl.value = '';
    Array.prototype.forEach.call(dateFields.querySelectorAll('input'), function (box) {
      var v = s.filter ? s.filter[box.dataset.field] : undefined;
      var bound = isObject(v) ? v[box.dataset.bound] : undefined;
      box.value = typeof bound === 'string' ? bound.slice(0, 10) : '';
    });
    activeEl.textContent = '';
    if (!hasFilter(s)) return;
    Object.keys(s.filter).forEach(function (name) {
      var chip = el('button', 'chip', '× ' + label(name) + '：' + valueText(s.filter[name]));
      chip.type = 'button';
      chip.setAttribute('aria-label', '取消筛选 ' + label(name));
      chip.onclick = function () { go(withFilter(s, name, undefined)); };
      activeEl.appendChild(chip);
    });
    var clear = el('button', 'chip', '清除筛选');
    clear.type = 'button';
    clear.onclick = function () { go(change(s, { filter: null, page: 1 })); };
    activeEl.appendChild(clear);
  }

  function render(s) {
    renderControls(s);
    errorEl.hidden = true;
    if (s.badFilter) showError('网址中的筛选条件无法解析，已忽略。');
    document.title = s.q ? s.q + ' - 检索' : '检索';
    if (controller) controller.abort();
    var my = ++seq;
    if (!s.q.trim() && !hasFilter(s)) {
      list.textContent = '';
      facetsEl.textContent = '';
      pager.hidden = true;
      statusEl.textContent = '输入词语，按回车搜索。';
      root.dataset.state = 'idle';
      return;
    }
    var p = new URLSearchParams();
    p.set('q', s.q);
    p.set('limit', String(PAGE_SIZE));
    p.set('offset', String((s.page - 1) * PAGE_SIZE));
    if (hasFilter(s)) p.set('filter', JSON.stringify(s.filter));
    if (s.sort) p.set('sort', s.sort);
    var facets = facetOptions();
    if (facets) p.set('facets', JSON.stringify(facets));
    controller = typeof AbortController === 'function' ? new AbortController() : null;
    var rendering = location.search;
    root.dataset.state = 'loading';
    statusEl.textContent = '搜索中…';
    fetch('search?' + p.toString(), { signal: controller ? controller.signal : undefined, headers: { accept: 'application/json' } })
      .then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; }, function () { return { ok: false, body: null }; });
      })
      .then(function (res) {
        if (my !== seq) return;
        if (!res.ok) {
          var e = res.body && res.body.error;
          throw new Error(e ? e.code + '：' + e.message : '服务器没有给出有效的回答。');
        }
        show(s, res.body);
        // For tests and tools: which URL's results are on screen.
        root.dataset.rendered = rendering;
        root.dataset.state = 'done';
      })
      .catch(function (err) {
        if (my !== seq || (err && err.name === 'AbortError')) return;
        list.textContent = '';
        pager.hidden = true;
        statusEl.textContent = '';
        showError('搜索失败：' + (err && err.message ? err.message : String(err)));
        root.dataset.state = 'error';
      });
  }
  function showError(message) {
    errorEl.textContent = message;
    errorEl.hidden = false;
  }

  function show(s, result) {
    var offset = (s.page - 1) * PAGE_SIZE;
    statusEl.textContent = '共 ' + result.total + ' 条结果，用时 ' + Math.round(result.took * 100) / 100 + ' 毫秒';
    if (typeof result.didYouMean === 'string') {
      // A homophone correction: a link that searches it (the results may already be its, see relaxed).
      var hint = el('span', 'did-you-mean', ' · 您是不是要找：');
      var link = el('a', '', result.didYouMean);
      link.href = '?q=' + encodeURIComponent(result.didYouMean);
      link.id = 'did-you-mean';
      link.addEventListener('click', function (ev) { ev.preventDefault(); go(change(readState(), { q: result.didYouMean, page: 1 })); });
      hint.appendChild(link);
      statusEl.appendChild(hint);
    }
    list.textContent = '';
    result.hits.forEach(function (hit, i) {
      var item = el('li', 'hit');
      item.dataset.id = hit.id;
      var doc = isObject(hit.doc) ? hit.doc : {};
      var heading = el('h2');
      // The engine's html forms are the only markup inserted: document text escaped, <mark> around matches.
      if (hit.title && typeof hit.title.html === 'string' && hit.title.text) heading.innerHTML = hit.title.html;
      else heading.textContent = typeof doc.title === 'string' && doc.title ? doc.title : hit.id;
      heading.insertBefore(el('span', 'rank', (offset + i + 1) + '. '), heading.firstChild);
      item.appendChild(heading);
      var meta = el('p', 'meta');
      columns.forEach(function (c) {
        var text = valueText(doc[c.name]);
        if (text) meta.appendChild(el('span', '', label(c.name) + ' ' + text));
      });
      if (meta.firstChild) item.appendChild(meta);
      (hit.snippets || []).forEach(function (snippet) {
        var para = el('p', 'snippet');
        para.innerHTML = snippet.html;
        item.appendChild(para);
      });
      var body = typeof doc.body === 'string' ? doc.body : '';
      if (body && !(hit.snippets || []).length) item.appendChild(el('p', 'snippet', body.length > 120 ? body.slice(0, 120) + '…' : body));
      if (body) {
        var more = el('details');
        more.appendChild(el('summary', '', '全文'));
        more.appendChild(el('p', 'full', body));
        item.appendChild(more);
      }
      list.appendChild(item);
    });
    renderPager(s, result.total);
    renderFacets(s, result.facets || {});
  }

  function renderPager(s, total) {
    var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    pager.hidden = pages <= 1 && s.page <= 1;
    pageInfo.textContent = '第 ' + s.page + ' 页，共 ' + pages + ' 页';
    var top = function () { statusEl.focus(); };
    if (s.page > 1) { prev.removeAttribute('aria-disabled'); link(prev, change(s, { page: s.page - 1 }), top); } else unlink(prev);
    if (s.page < pages) { next.removeAttribute('aria-disabled'); link(next, change(s, { page: s.page + 1 }), top); } else unlink(next);
  }

  function renderFacets(s, facets) {
    facetsEl.textContent = '';
    columns.forEach(function (c) {
      var buckets = facets[c.name];
      if (!buckets || !buckets.length) return;
      var box = el('section', 'facet');
      box.appendChild(el('h3', '', label(c.name) + (c.type === 'date' ? '（按年）' : '')));
      var ul = el('ul');
      buckets.forEach(function (b) {
        var active = facetActive(s, c, b.value);
        if (!b.count && !active) return;
        var a = el('a', '', b.value);
        a.appendChild(document.createTextNode(' '));
        a.appendChild(el('span', 'count', String(b.count)));
        a.dataset.facet = c.name;
        a.dataset.value = b.value;
        if (active) a.setAttribute('aria-current', 'true');
        link(a, withFilter(s, c.name, active ? undefined : c.type === 'date' ? yearRange(b.value) : b.value));
        var li = el('li');
        li.appendChild(a);
        ul.appendChild(li);
      });
      box.appendChild(ul);
      facetsEl.appendChild(box);
    });
  }

  // Completions from GET /suggest while typing (debounced; a late answer for an old prefix is dropped).
  var suggestionsEl = $('suggestions'), suggestTimer = 0, suggestSeq = 0;
  input.addEventListener('input', function () {
    clearTimeout(suggestTimer);
    var prefix = input.value.trim();
    var mine = ++suggestSeq;
    if (!prefix) { suggestionsEl.textContent = ''; return; }
    suggestTimer = setTimeout(function () {
      fetch('/suggest?limit=8&q=' + encodeURIComponent(prefix)).then(function (res) { return res.ok ? res.json() : { suggestions: [] }; }).then(function (body) {
        if (mine !== suggestSeq) return;
        suggestionsEl.textContent = '';
        (body.suggestions || []).forEach(function (sug) {
          var option = el('option');
          option.value = String(sug.text);
          suggestionsEl.appendChild(option);
        });
      }).catch(function () {});
    }, 120);
  });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    go(change(readState(), { q: input.value.trim(), page: 1 }));
  });
  dateForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var s = readState();
    var byField = {};
    Array.prototype.forEach.call(dateFields.querySelectorAll('input'), function (box) {
      var range = byField[box.dataset.field] || (byField[box.dataset.field] = {});
      if (box.value) range[box.dataset.bound] = box.value;
    });
    Object.keys(byField).forEach(function (name) {
      s = withFilter(s, name, Object.keys(byField[name]).length ? byField[name] : undefined);
    });
    go(s);
  });
  sortEl.addEventListener('change', function () { go(change(readState(), { sort: sortEl.value, page: 1 })); });
  window.addEventListener('popstate', function () { render(readState()); });

  fetch('schema', { headers: { accept: 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .catch(function () { return null; })
    .then(function (schema) { setup(schema); render(readState()); });
})();
`

const HTML_HEAD = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>检索</title>
<link rel="icon" href="data:,">
<style>`

const HTML_BODY = `</style>
</head>
<body>
<header class="top">
  <div class="top-inner">
    <h1 class="brand">检索</h1>
    <form id="search-form" role="search" method="get" action="">
      <input id="q" name="q" type="search" autocomplete="off" enterkeyhint="search" aria-label="搜索词" placeholder="输入要搜索的词，例如：雷锋精神" list="suggestions" autofocus>
      <datalist id="suggestions"></datalist>
      <button type="submit">搜索</button>
    </form>
  </div>
</header>
<main class="layout">
  <aside id="filters" aria-label="筛选" hidden>
    <h2>筛选</h2>
    <div id="active-filters"></div>
    <form id="date-form" hidden>
      <div id="date-fields"></div>
      <button type="submit" class="plain">应用日期</button>
    </form>
    <div id="facets"></div>
    <label id="sort-box" hidden>排序 <select id="sort"><option value="">相关度</option></select></label>
  </aside>
  <section aria-label="搜索结果">
    <p id="status" role="status" tabindex="-1"></p>
    <p id="error" role="alert" hidden></p>
    <ol id="results"></ol>
    <nav id="pager" aria-label="分页" hidden>
      <a id="prev" rel="prev">上一页</a>
      <span id="page-info"></span>
      <a id="next" rel="next">下一页</a>
    </nav>
    <noscript><p>本页需要 JavaScript；也可以直接调用 /search 接口。</p></noscript>
  </section>
</main>
<script>`

const HTML_END = `</script>
</body>
</html>
`

/** The page, ready to send. */
export const SEARCH_PAGE = `${HTML_HEAD}${STYLE}${HTML_BODY}${SCRIPT}${HTML_END}`

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

/** Headers for the page: only its own script and style run, and it talks only to this server. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': [
    "default-src 'none'",
    `script-src ${sha256(SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
} as const
