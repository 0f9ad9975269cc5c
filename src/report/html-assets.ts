/**
 * The HTML report's stylesheet and script. They are constants so that their CSP hashes are
 * stable and the report stays byte-identical across runs. Nothing here loads from the network:
 * system fonts only, no images, no external scripts.
 */
import { CHART_CSS } from './html-charts.js';
import { DELTA_CSS } from './html-delta.js';
import { DRILLDOWN_CSS, DRILLDOWN_JS } from './html-drilldown.js';
import { WORKLOAD_CSS } from './html-workloads.js';

export const REPORT_CSS = `
:root {
  --ink: #1d2733; --muted: #5b6b7c; --line: #d9e0e8; --bg: #f4f6f9; --card: #ffffff;
  --brand: #0f2a47; --brand-2: #1d4f80; --accent: #2f6fb0;
  --critical: #8b1a1a; --critical-bg: #fbe3e3;
  --high: #a23b0a; --high-bg: #fde9d9;
  --medium: #7a5600; --medium-bg: #fdf1c7;
  --low: #1f4f8f; --low-bg: #dde9f8;
  --info: #4a5563; --info-bg: #e7eaee;
  --pass: #1c6b3a; --pass-bg: #dcf1e3;
  --unknown: #6b3fa0; --unknown-bg: #ece3f7;
  --na: #55606c; --na-bg: #eceff2;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
header.report {
  background: linear-gradient(120deg, var(--brand), var(--brand-2)); color: #fff; padding: 28px 40px 24px;
}
header.report h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; letter-spacing: .2px; }
header.report .sub { color: #c8d7e8; font-size: 13.5px; }
header.report dl { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 16px 0 0; }
header.report dt { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: #9fb6cf; }
header.report dd { margin: 0; font-weight: 600; word-break: break-all; }
main { padding: 24px 40px 48px; max-width: 1500px; }
section { margin: 0 0 32px; }
h2 { font-size: 18px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15.5px; margin: 0 0 8px; }
p.lead { font-size: 15px; margin: 0 0 16px; }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; border-top-width: 4px; }
.card .n { font-size: 26px; font-weight: 700; line-height: 1.2; }
.card .l { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
.card.sev-critical { border-top-color: var(--critical); } .card.sev-critical .n { color: var(--critical); }
.card.sev-high { border-top-color: var(--high); } .card.sev-high .n { color: var(--high); }
.card.sev-medium { border-top-color: var(--medium); } .card.sev-medium .n { color: var(--medium); }
.card.sev-low { border-top-color: var(--low); } .card.sev-low .n { color: var(--low); }
.card.sev-info { border-top-color: var(--info); } .card.sev-info .n { color: var(--info); }
.card.v-fail { border-top-color: var(--critical); } .card.v-unknown { border-top-color: var(--unknown); }
.card.v-pass { border-top-color: var(--pass); } .card.v-not_applicable { border-top-color: var(--na); }
.card.neutral { border-top-color: var(--accent); }
.subhead { margin: 18px 0 8px; font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); font-weight: 600; }
.badge {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 650;
  white-space: nowrap; border: 1px solid transparent;
}
.badge.sev-critical { color: var(--critical); background: var(--critical-bg); border-color: #efb9b9; }
.badge.sev-high { color: var(--high); background: var(--high-bg); border-color: #f3c6a6; }
.badge.sev-medium { color: var(--medium); background: var(--medium-bg); border-color: #ecd88b; }
.badge.sev-low { color: var(--low); background: var(--low-bg); border-color: #b5cdee; }
.badge.sev-info { color: var(--info); background: var(--info-bg); border-color: #cfd5dc; }
.badge.v-fail, .badge.st-failing { color: var(--critical); background: var(--critical-bg); border-color: #efb9b9; }
.badge.v-unknown, .badge.st-unknown { color: var(--unknown); background: var(--unknown-bg); border-color: #d3c0ec; }
.badge.v-pass, .badge.st-passing { color: var(--pass); background: var(--pass-bg); border-color: #a9d8b8; }
.badge.v-not_applicable, .badge.st-not_applicable { color: var(--na); background: var(--na-bg); border-color: #d3d8de; }
.badge.st-not_assessed { color: var(--muted); background: #fff; border-color: var(--line); border-style: dashed; }
.badge.new { color: #fff; background: var(--accent); }
.badge.existing { color: var(--muted); background: #fff; border-color: var(--line); }
.overview { margin-bottom: 16px; }
.framework { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 16px; }
.framework .meta { color: var(--muted); font-size: 12.5px; margin-bottom: 10px; word-break: break-all; }
.bar { width: 100%; height: 10px; display: block; border-radius: 5px; overflow: hidden; background: var(--na-bg); margin: 6px 0 8px; }
.bar .st-failing { fill: #c0392b; } .bar .st-unknown { fill: #8e5cc7; } .bar .st-passing { fill: #2e8b57; }
.bar .st-not_applicable { fill: #a5afba; } .bar .st-not_assessed { fill: #dde2e8; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 12.5px; margin-bottom: 10px; }
table { width: 100%; border-collapse: collapse; background: var(--card); }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
th { font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); background: #f8fafc; position: sticky; top: 0; z-index: 1; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
td.nowrap { white-space: nowrap; }
th.w-rule { width: 14%; } th.w-resource { width: 21%; } th.w-finding { width: 31%; } th.w-controls { width: 17%; } th.w-sup { width: 10%; }
.cid { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
.table-wrap { border: 1px solid var(--line); border-radius: 8px; overflow: auto; }
.filters {
  display: flex; flex-wrap: wrap; align-items: flex-end; gap: 10px 14px; background: var(--card);
  border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin-bottom: 12px;
}
.filters label { display: flex; flex-direction: column; font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; gap: 3px; }
.filters select, .filters input, .filters button {
  font: inherit; font-size: 13.5px; text-transform: none; letter-spacing: 0; color: var(--ink);
  padding: 5px 8px; border: 1px solid #c3ccd6; border-radius: 6px; background: #fff; min-width: 150px;
}
.filters input[type="search"] { min-width: 220px; }
.filters button { min-width: 0; cursor: pointer; background: #f1f4f8; }
.filters .count { margin-left: auto; font-weight: 650; align-self: center; }
[hidden] { display: none !important; }
.count-line { margin: 0 0 8px; }
.pager { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 0 0 10px; font-size: 13px; color: var(--muted); }
.pager button, .pager input, .res-list + .more {
  font: inherit; font-size: 13px; color: var(--ink); padding: 4px 10px; border: 1px solid #c3ccd6; border-radius: 6px; background: #f1f4f8; cursor: pointer;
}
.pager button:disabled { opacity: .45; cursor: default; }
.pager input { width: 90px; background: #fff; cursor: auto; }
.note { padding: 10px 14px; background: var(--medium-bg); border: 1px solid #ecd88b; border-radius: 8px; }
.res-list { margin: 4px 0 6px; padding-left: 18px; font-size: 12.5px; }
.res-list .arn { font-size: 12px; }
.arn { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.rname { font-weight: 600; overflow-wrap: anywhere; }
.rule-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
.msg { margin: 0 0 4px; }
.ctl { display: inline-block; font-size: 11.5px; background: #eef2f7; border-radius: 4px; padding: 0 5px; margin: 0 3px 3px 0; white-space: nowrap; }
.ctl-line { font-size: 12px; line-height: 1.45; margin-bottom: 3px; }
.ctl-line .fw { display: inline-block; font-weight: 650; background: #eef2f7; border-radius: 4px; padding: 0 5px; margin-right: 2px; }
.rule-controls { margin: 6px 0; }
td.ctl-id { white-space: nowrap; }
.suppressed { font-size: 12.5px; }
.ai-why { font-size: 12.5px; color: #5b21b6; }
.uses { margin: 0; padding-left: 18px; }
.suppressed .why { display: block; }
details { margin: 4px 0 0; }
details > summary { cursor: pointer; color: var(--accent); font-size: 12.5px; font-weight: 600; }
details .body { margin: 6px 0 4px; padding: 8px 12px; border-left: 3px solid var(--line); background: #fafbfc; }
details h4 { margin: 10px 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
details h4:first-child { margin-top: 0; }
pre { margin: 0; padding: 8px 10px; background: #f0f3f7; border: 1px solid #e1e6ec; border-radius: 6px; overflow: auto; white-space: pre-wrap; word-break: break-word; max-height: 420px; }
ol.steps { margin: 0; padding-left: 20px; }
tr.finding.sup td { opacity: .72; }
.empty { padding: 18px; text-align: center; color: var(--muted); background: var(--card); border: 1px dashed var(--line); border-radius: 8px; margin-top: 10px; }
.ok { padding: 12px 14px; background: var(--pass-bg); color: var(--pass); border-radius: 8px; border: 1px solid #a9d8b8; }
.rule { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 10px; break-inside: avoid; }
.rule p { margin: 4px 0; }
.refs { margin: 4px 0 0; padding-left: 18px; font-size: 12.5px; word-break: break-all; }
footer { padding: 0 40px 32px; color: var(--muted); font-size: 12px; }
@media (max-width: 800px) { main, header.report { padding-left: 16px; padding-right: 16px; } }
@media print {
  @page { margin: 14mm 12mm; }
  body { background: #fff; font-size: 11px; }
  header.report { padding: 12px 0; background: #fff; color: var(--ink); border-bottom: 2px solid var(--brand); }
  header.report .sub, header.report dt { color: var(--muted); }
  main, footer { padding-left: 0; padding-right: 0; max-width: none; }
  .filters, .pager, .no-print { display: none !important; }
  .table-wrap { overflow: visible; border: 0; }
  th { position: static; }
  th, td { padding: 4px 5px; }
  /* A fixed layout keeps the seven finding columns inside the page width. */
  #findings-table { table-layout: fixed; }
  #findings-table th.w-sev, #findings-table th.w-verdict { width: 8.5%; }
  #findings-table th.w-rule { width: 14%; } #findings-table th.w-resource { width: 20%; }
  #findings-table th.w-finding { width: 27%; } #findings-table th.w-controls { width: 12%; } #findings-table th.w-sup { width: 10%; }
  #findings-table td { overflow-wrap: anywhere; }
  th { font-size: 8.5px; letter-spacing: 0; }
  .badge { font-size: 9px; padding: 0 4px; }
  .ctl, .ctl-line { white-space: normal; font-size: 9.5px; }
  .arn, code, pre, .mono, .rule-id { font-size: 9.5px; }
  details .body { padding: 4px 6px; }
  .cards { grid-template-columns: repeat(auto-fit, minmax(90px, 1fr)); gap: 8px; }
  .card { padding: 6px 8px; } .card .n { font-size: 18px; }
  pre { padding: 4px 6px; }
  tr, .card, .framework, .rule { break-inside: avoid; }
  pre { max-height: none; overflow: visible; }
  details > summary { color: var(--ink); }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
${DRILLDOWN_CSS}${WORKLOAD_CSS}${DELTA_CSS}${CHART_CSS}`;

/**
 * Renders the findings table from the data block, a page at a time, with filters over the data
 * (not over DOM rows), and the per-rule lists of passing resources when they are opened. Reads
 * the data with JSON.parse (the data never becomes code) and builds every element with
 * createElement and textContent: no HTML is ever built from data at runtime. The layout of the
 * data block is described in html.ts.
 */
export const REPORT_JS = `
(function () {
  'use strict';
  var dataNode = document.getElementById('aigis-data');
  if (!dataNode) return;
  var data = JSON.parse(dataNode.textContent || '{}');
  var rules = data.rules || [], resources = data.resources || [], findings = data.findings || [];
  var types = data.types || [], regions = data.regions || [], verdicts = data.verdicts || [];
  var properties = data.properties || [], evidence = data.evidence || [], aiReasons = data.ai || [], messages = data.messages || [];
  var PAGE = data.pageSize || 100, LIST_PAGE = 500;
  var VERDICT_LABEL = { fail: 'Fail', unknown: 'Unknown', pass: 'Pass', not_applicable: 'Not applicable' };
  var STATUS_LABEL = { failing: 'Failing', unknown: 'Unknown', passing: 'Passing', not_applicable: 'Not applicable', not_assessed: 'Not assessed' };
  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function text(parent, value) { parent.appendChild(document.createTextNode(value)); }
  var NO_EXTRA = {};
  function extra(f) { return f[7] || NO_EXTRA; }
  function slot(f, k) { return f.length > k ? f[k] : -1; }
  function aiOf(f) { var k = slot(f, 6); return k >= 0 ? aiReasons[k] : null; }
  function messageOf(f) {
    var k = f[3];
    if (k >= 0) return messages[k];
    return messages[-1 - k].split('\\u0001').join(resources[f[2]][1]);
  }
  function ruleOf(f) { return rules[f[0]]; }
  function severityOf(f) { return extra(f).severity || ruleOf(f).severity; }
  function serviceOf(f) { return extra(f).service || ruleOf(f).service; }
  function titleOf(f) { return extra(f).title || ruleOf(f).title; }
  function controlsOf(f) { return extra(f).controls || ruleOf(f).controls; }
  function hasFramework(f, fw) {
    var x = extra(f);
    if (!x.controls) return ruleOf(f).frameworks.indexOf(fw) >= 0;
    for (var i = 0; i < x.controls.length; i++) if (x.controls[i][0] === fw) return true;
    return false;
  }

  // ---- findings table ----
  var f = {
    framework: byId('filter-framework'), severity: byId('filter-severity'), service: byId('filter-service'),
    verdict: byId('filter-verdict'), suppressed: byId('filter-suppressed'), ai: byId('filter-ai'), text: byId('filter-text')
  };
  var body = byId('findings-body');
  var count = byId('visible-count'), info = byId('page-info'), empty = byId('no-match');
  var pageNumber = byId('page-number');
  var texts = null;
  var matched = [];
  var page = 0;
  function searchText(i) {
    if (!texts) {
      texts = new Array(findings.length);
      for (var j = 0; j < findings.length; j++) {
        var g = findings[j], r = resources[g[2]];
        texts[j] = (ruleOf(g).id + '\\n' + titleOf(g) + '\\n' + r[0] + '\\n' + (r[1] || '') + '\\n' + messageOf(g)).toLowerCase();
      }
    }
    return texts[i];
  }
  function filter() {
    var fw = f.framework.value, sev = f.severity.value, svc = f.service.value, ver = f.verdict.value;
    var sup = f.suppressed.value, ai = f.ai.value, q = f.text.value.trim().toLowerCase();
    var out = [];
    for (var i = 0; i < findings.length; i++) {
      var row = findings[i], x = extra(row), v = verdicts[row[1]];
      if (fw && !hasFramework(row, fw)) continue;
      if (sev && severityOf(row) !== sev) continue;
      if (svc && serviceOf(row) !== svc) continue;
      if (ver === 'open') { if (v !== 'fail' && v !== 'unknown') continue; }
      else if (ver && v !== ver) continue;
      if (sup === 'hide' && x.suppression) continue;
      if (sup === 'only' && !x.suppression) continue;
      if (ai === 'ai' && slot(row, 6) < 0) continue;
      if (ai === 'other' && slot(row, 6) >= 0) continue;
      if (q && searchText(i).indexOf(q) < 0) continue;
      out.push(i);
    }
    return out;
  }
  function controlLines(cell, controls) {
    if (!controls.length) { add(cell, el('span', 'muted', '\u2014')); return; }
    for (var i = 0; i < controls.length; i++) {
      var line = add(cell, el('div', 'ctl-line'));
      add(line, el('span', 'fw', controls[i][0]));
      text(line, ' ');
      var ids = controls[i][1];
      for (var j = 0; j < ids.length; j++) {
        if (j > 0) text(line, ' \u00b7 ');
        link(line, controlHref(controls[i][0], ids[j]), ids[j], 'cid');
      }
    }
  }
  function details(parent, label) {
    var d = add(parent, el('details'));
    add(d, el('summary', null, label));
    return add(d, el('div', 'body'));
  }
  function block(parent, heading, value) {
    add(parent, el('h4', null, heading));
    add(add(parent, el('pre')), el('code', null, value));
  }
  function remediation(parent, rule, property) {
    var r = rule.remediation, box = details(parent, 'Remediation');
    if (property) { add(box, el('h4', null, 'Setting')); add(box, el('code', null, property)); }
    if (r.console.length) {
      add(box, el('h4', null, 'Console'));
      var ol = add(box, el('ol', 'steps'));
      for (var i = 0; i < r.console.length; i++) add(ol, el('li', null, r.console[i]));
    }
    if (r.cli.trim()) block(box, 'AWS CLI', r.cli.replace(/\\s+$/, ''));
    if (r.cloudformation.trim()) block(box, 'CloudFormation', r.cloudformation.replace(/\\s+$/, ''));
    if (r.terraform.trim()) block(box, 'Terraform', r.terraform.replace(/\\s+$/, ''));
  }
  function findingRow(i) {
    var row = findings[i], x = extra(row), rule = ruleOf(row), res = resources[row[2]], v = verdicts[row[1]];
    var sev = severityOf(row);
    var tr = el('tr', x.suppression ? 'finding sup' : 'finding');
    tr.id = 'finding-' + i;
    add(add(tr, el('td')), el('span', 'badge sev-' + sev, sev));
    var verdictCell = add(tr, el('td'));
    add(verdictCell, el('span', 'badge v-' + v, VERDICT_LABEL[v] || v));
    if (x.baseline === 'new') { text(verdictCell, ' '); add(verdictCell, el('span', 'badge new', 'new')); }
    else if (x.baseline === 'existing') { text(verdictCell, ' '); add(verdictCell, el('span', 'badge existing', 'baseline')); }
    var ruleCell = add(tr, el('td'));
    link(ruleCell, ruleHref(rule.id), rule.id, 'rule-id');
    add(ruleCell, el('div', null, titleOf(row)));
    var resCell = add(tr, el('td'));
    resourceCell(resCell, row[2]);
    add(resCell, el('div', 'muted', types[res[2]] + ' \u00b7 ' + regions[res[3]]));
    if (res.length > 4) add(resCell, el('div', 'muted mono', res[4]));
    var why = aiOf(row);
    if (why) add(resCell, el('div', 'ai-why', 'AI: ' + why.join('; ')));
    var msgCell = add(tr, el('td'));
    add(msgCell, el('p', 'msg', messageOf(row)));
    var ev = slot(row, 4), prop = slot(row, 5);
    if (ev >= 0) evidenceTable(details(msgCell, 'Evidence'), evidence[ev], 0);
    if (rule.remediation && (v === 'fail' || v === 'unknown')) remediation(msgCell, rule, prop >= 0 ? properties[prop] : undefined);
    controlLines(add(tr, el('td')), controlsOf(row));
    var supCell = add(tr, el('td'));
    if (x.suppression) {
      var s = add(supCell, el('div', 'suppressed'));
      add(s, el('span', 'badge v-not_applicable', 'Suppressed'));
      add(s, el('span', 'why', x.suppression.reason));
      add(s, el('span', 'muted', x.suppression.source + (x.suppression.expires ? ' \u00b7 expires ' + x.suppression.expires : '')));
    } else {
      add(supCell, el('span', 'muted', 'No'));
    }
    return tr;
  }
  function pages() { return Math.max(1, Math.ceil(matched.length / PAGE)); }
  function render() {
    var n = matched.length, last = pages() - 1;
    if (page > last) page = last;
    if (page < 0) page = 0;
    if (body) {
      body.textContent = '';
      var end = Math.min(n, (page + 1) * PAGE);
      for (var i = page * PAGE; i < end; i++) body.appendChild(findingRow(matched[i]));
    }
    count.textContent = n + ' of ' + findings.length + ' findings';
    info.textContent = n === 0 ? 'no rows'
      : 'rows ' + (page * PAGE + 1) + '\u2013' + Math.min(n, (page + 1) * PAGE) + ' \u00b7 page ' + (page + 1) + ' of ' + pages();
    empty.hidden = n !== 0 || findings.length === 0;
    pageNumber.max = String(pages());
    pageNumber.value = String(page + 1);
    byId('page-first').disabled = byId('page-prev').disabled = page === 0;
    byId('page-next').disabled = byId('page-last').disabled = page >= last;
  }
  function apply() { matched = filter(); page = 0; render(); }
  function go(p) { page = p; render(); }
  Object.keys(f).forEach(function (k) {
    f[k].addEventListener('input', apply);
    f[k].addEventListener('change', apply);
  });
  byId('filter-reset').addEventListener('click', function () {
    f.framework.value = ''; f.severity.value = ''; f.service.value = ''; f.verdict.value = '';
    f.suppressed.value = 'show'; f.ai.value = ''; f.text.value = '';
    apply();
  });
  byId('page-first').addEventListener('click', function () { go(0); });
  byId('page-prev').addEventListener('click', function () { go(page - 1); });
  byId('page-next').addEventListener('click', function () { go(page + 1); });
  byId('page-last').addEventListener('click', function () { go(pages() - 1); });
  pageNumber.addEventListener('change', function () {
    var p = parseInt(pageNumber.value, 10);
    go(isNaN(p) ? page : p - 1);
  });
  byId('filters').hidden = false;
  byId('pager').hidden = false;

  // ---- resources that passed, per rule (--passed list) ----
  var passed = {};
  (data.passed || []).forEach(function (entry) { passed[entry[0]] = entry; });
  function resourceList(parent, label, ids) {
    if (!ids || !ids.length) return;
    add(parent, el('h4', null, label + ' (' + ids.length + ')'));
    var ul = add(parent, el('ul', 'res-list'));
    var more = add(parent, el('button', 'more'));
    more.type = 'button';
    var shown = 0;
    function next() {
      var end = Math.min(ids.length, shown + LIST_PAGE);
      for (; shown < end; shown++) {
        var r = resources[ids[shown]], li = add(ul, el('li'));
        if (r[1] !== null) { link(li, resourceHref(ids[shown]), r[1], 'rname'); text(li, ' '); add(li, el('span', 'arn', r[0])); }
        else link(li, resourceHref(ids[shown]), r[0], 'arn');
      }
      more.hidden = shown >= ids.length;
      more.textContent = 'Show ' + Math.min(LIST_PAGE, ids.length - shown) + ' more';
    }
    more.addEventListener('click', next);
    next();
  }
  var lists = document.querySelectorAll('details.passed-list');
  for (var li = 0; li < lists.length; li++) {
    lists[li].addEventListener('toggle', function () {
      if (!this.open || this.getAttribute('data-filled')) return;
      this.setAttribute('data-filled', '1');
      var entry = passed[Number(this.getAttribute('data-rule'))];
      var box = this.querySelector('.body');
      box.textContent = '';
      if (!entry) return;
      resourceList(box, 'Passed', entry[1]);
      resourceList(box, 'Not applicable', entry[2]);
    });
  }

  // Printed reports show every detail: open them for printing and restore afterwards.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    opened = [];
    var all = document.querySelectorAll('details:not([open])');
    for (var i = 0; i < all.length; i++) { all[i].open = true; opened.push(all[i]); }
  });
  window.addEventListener('afterprint', function () {
    for (var i = 0; i < opened.length; i++) opened[i].open = false;
    opened = [];
  });
${DRILLDOWN_JS}
  apply();
})();
`;
