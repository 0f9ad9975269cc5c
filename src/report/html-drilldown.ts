/**
 * The HTML report's drill-down, as part of the page script (REPORT_JS, in whose scope this code
 * runs: it uses its helpers el/add/text/byId and the data block's tables). The page address
 * names what to show, so every view is a link that can be shared, bookmarked and left with Back:
 *
 *   #/control/FRAMEWORK/CONTROL  the control: its rules with their counts, and its failing and unknown findings
 *   #/rule/RULE                  the rule: its controls, failing and unknown findings, passing resources, remediation
 *   #/resource/INDEX             the resource (index in the data block): every rule that judged it
 *
 * Parts are percent-encoded (encodeURIComponent); anything that does not decode or is not in the
 * data shows "not in this report". Like the rest of the script it builds elements with
 * createElement and textContent only, and evidence as a small table (the server renders the same
 * table for the static rows: html-evidence.ts). Written as a TypeScript string, so a backslash in
 * the code must be doubled.
 */
import { EVIDENCE_DEPTH, EVIDENCE_ROWS, EVIDENCE_TEXT } from './html-evidence.js';

export const DRILLDOWN_JS = `
  // ---- evidence as a table (same layout as html-evidence.ts) ----
  var EV_DEPTH = ${EVIDENCE_DEPTH}, EV_ROWS = ${EVIDENCE_ROWS}, EV_TEXT = ${EVIDENCE_TEXT}, DETAIL_ROWS = 200;
  function clip(s) { return s.length > EV_TEXT ? s.slice(0, EV_TEXT) + '\u2026 (' + (s.length - EV_TEXT) + ' more characters)' : s; }
  function scalarText(v) {
    if (v === null) return 'null';
    var t = typeof v;
    return t === 'string' ? v : (t === 'number' || t === 'boolean') ? String(v) : undefined;
  }
  function evidenceValue(cell, v, depth) {
    var plain = scalarText(v);
    if (plain !== undefined) { add(cell, el('span', 'ev-v', clip(plain))); return; }
    if (Array.isArray(v)) {
      if (!v.length) { add(cell, el('span', 'muted', 'none')); return; }
      var flat = true;
      for (var i = 0; i < v.length; i++) if (scalarText(v[i]) === undefined) { flat = false; break; }
      if (flat) {
        var ul = add(cell, el('ul', 'ev-list'));
        for (var j = 0; j < v.length && j < EV_ROWS; j++) add(ul, el('li', null, clip(scalarText(v[j]))));
        if (v.length > EV_ROWS) add(ul, el('li', 'muted', 'and ' + (v.length - EV_ROWS) + ' more'));
        return;
      }
    }
    if (depth >= EV_DEPTH) { add(cell, el('code', null, clip(JSON.stringify(v) || ''))); return; }
    evidenceTable(cell, v, depth + 1);
  }
  function evidenceTable(parent, value, depth) {
    var table = add(parent, el('table', 'evidence')), body = add(table, el('tbody')), entries = [];
    if (Array.isArray(value)) { for (var i = 0; i < value.length; i++) entries.push(['#' + (i + 1), value[i]]); }
    else if (value !== null && typeof value === 'object') { Object.keys(value).forEach(function (k) { entries.push([k, value[k]]); }); }
    else entries.push(['value', value]);
    for (var j = 0; j < entries.length && j < EV_ROWS; j++) {
      var tr = add(body, el('tr'));
      add(tr, el('th', null, entries[j][0])).setAttribute('scope', 'row');
      evidenceValue(add(tr, el('td')), entries[j][1], depth);
    }
    if (entries.length > EV_ROWS) add(add(body, el('tr')), el('td', 'muted', 'and ' + (entries.length - EV_ROWS) + ' more')).colSpan = 2;
  }

  // ---- drill-down: #/control/FRAMEWORK/CONTROL, #/rule/RULE, #/resource/INDEX ----
  var frameworksData = data.frameworks || [];
  var detail = byId('detail');
  var ruleIndexById = {};
  rules.forEach(function (r, i) { ruleIndexById['=' + r.id] = i; });
  function controlHref(fw, id) { return '#/control/' + encodeURIComponent(fw) + '/' + encodeURIComponent(id); }
  function ruleHref(id) { return '#/rule/' + encodeURIComponent(id); }
  function resourceHref(n) { return '#/resource/' + n; }
  function link(parent, href, label, cls) { var a = add(parent, el('a', cls, label)); a.setAttribute('href', href); return a; }
  function isOpen(v) { return v === 'fail' || v === 'unknown'; }
  function resourceCell(cell, n) {
    var r = resources[n];
    if (r[1] !== null) link(add(cell, el('div', 'rname')), resourceHref(n), r[1]);
    var arn = add(cell, el('div', 'arn'));
    if (r[1] === null) link(arn, resourceHref(n), r[0]); else arn.textContent = r[0];
  }
  var ruleCounts = null;
  function countsOf(r) {
    if (!ruleCounts) {
      ruleCounts = rules.map(function () { return { fail: 0, unknown: 0, pass: 0, not_applicable: 0 }; });
      for (var i = 0; i < findings.length; i++) ruleCounts[findings[i][0]][verdicts[findings[i][1]]]++;
      (data.passed || []).forEach(function (p) {
        var c = ruleCounts[p[0]];
        c.pass += typeof p[1] === 'number' ? p[1] : p[1].length;
        c.not_applicable += typeof p[2] === 'number' ? p[2] : p[2].length;
      });
    }
    return ruleCounts[r];
  }
  function table(parent, headings, cls) {
    var t = add(add(parent, el('div', 'table-wrap')), el('table', cls || 'detail-table'));
    var head = add(add(t, el('thead')), el('tr'));
    headings.forEach(function (h) { add(head, el('th', /^(Fail|Unknown|Pass|N\\/A)$/.test(h) ? 'num' : null, h)); });
    return add(t, el('tbody'));
  }
  function countCells(tr, c) {
    ['fail', 'unknown', 'pass', 'not_applicable'].forEach(function (v) { add(tr, el('td', 'num', String(c[v]))); });
  }
  function moreButton(parent, total, fill) {
    var more = add(parent, el('button', 'more'));
    more.type = 'button';
    var shown = 0;
    function next() {
      var end = Math.min(total, shown + DETAIL_ROWS);
      for (; shown < end; shown++) fill(shown);
      more.hidden = shown >= total;
      more.textContent = 'Show ' + Math.min(DETAIL_ROWS, total - shown) + ' more';
    }
    more.addEventListener('click', next);
    next();
  }
  function findingList(parent, list, showRule) {
    if (!list.length) { add(parent, el('p', 'muted', 'None.')); return; }
    var body = table(parent, ['Severity', 'Verdict'].concat(showRule ? ['Rule'] : []).concat(['Resource', 'Finding']));
    moreButton(parent, list.length, function (k) {
      var row = findings[list[k]], v = verdicts[row[1]], x = extra(row), sev = severityOf(row), tr = add(body, el('tr'));
      add(add(tr, el('td')), el('span', 'badge sev-' + sev, sev));
      var vc = add(tr, el('td'));
      add(vc, el('span', 'badge v-' + v, VERDICT_LABEL[v] || v));
      if (x.suppression) { text(vc, ' '); add(vc, el('span', 'badge v-not_applicable', 'Suppressed')); }
      if (showRule) {
        var rc = add(tr, el('td'));
        link(rc, ruleHref(ruleOf(row).id), ruleOf(row).id, 'rule-id');
        add(rc, el('div', null, titleOf(row)));
      }
      resourceCell(add(tr, el('td')), row[2]);
      var mc = add(tr, el('td'));
      add(mc, el('p', 'msg', messageOf(row)));
      var ev = slot(row, 4);
      if (ev >= 0) evidenceTable(details(mc, 'Evidence'), evidence[ev], 0);
    });
  }
  function heading(kicker, title) {
    add(detail, el('div', 'kicker', kicker));
    var h = add(detail, el('h2', null, title));
    h.id = 'detail-title';
    h.tabIndex = -1;
    return h;
  }
  function subheading(label) { return add(detail, el('h3', null, label)); }
  function notFound(message) { heading('Not in this report', message); }
  function showControl(fwId, cid) {
    var fw = null, c = null;
    for (var i = 0; i < frameworksData.length && !c; i++) {
      if (frameworksData[i].id !== fwId) continue;
      fw = frameworksData[i];
      for (var j = 0; j < fw.controls.length; j++) if (fw.controls[j][0] === cid) { c = fw.controls[j]; break; }
    }
    if (!c) { notFound('No control ' + cid + ' of framework ' + fwId + ' in this report.'); return; }
    heading(fw.name + ' \u00b7 control ' + c[0], c[1]);
    var meta = add(detail, el('p', 'meta'));
    add(meta, el('span', 'badge st-' + c[2], STATUS_LABEL[c[2]] || c[2]));
    if (c[3]) text(meta, ' ' + c[3]);
    subheading('Rules (' + c[4].length + ')');
    if (!c[4].length) add(detail, el('p', 'muted', 'No aigis rule that ran evidences this control: it needs evidence from outside this scan.'));
    else {
      var body = table(detail, ['Rule', 'Severity', 'Fail', 'Unknown', 'Pass', 'N/A']);
      c[4].forEach(function (r) {
        var tr = add(body, el('tr')), rc = add(tr, el('td'));
        link(rc, ruleHref(rules[r].id), rules[r].id, 'rule-id');
        add(rc, el('div', null, rules[r].title));
        add(add(tr, el('td')), el('span', 'badge sev-' + rules[r].severity, rules[r].severity));
        countCells(tr, countsOf(r));
      });
    }
    var list = [];
    for (var k = 0; k < findings.length; k++) {
      var row = findings[k];
      if (!isOpen(verdicts[row[1]])) continue;
      var cs = controlsOf(row);
      for (var m = 0; m < cs.length; m++) if (cs[m][0] === fwId && cs[m][1].indexOf(cid) >= 0) { list.push(k); break; }
    }
    subheading('Failing and unknown findings (' + list.length + ')');
    findingList(detail, list, true);
  }
  function showRule(id) {
    var r = ruleIndexById['=' + id];
    if (r === undefined) { notFound('No rule ' + id + ' in this report.'); return; }
    var rule = rules[r];
    heading('Rule ' + rule.id, rule.title);
    var meta = add(detail, el('p', 'meta'));
    add(meta, el('span', 'badge sev-' + rule.severity, rule.severity));
    text(meta, ' service ' + rule.service + ' \u00b7 ');
    link(meta, '#rule-' + rule.id, 'what it checks and why');
    var c = countsOf(r);
    add(detail, el('p', null, c.fail + ' fail, ' + c.unknown + ' unknown, ' + c.pass + ' pass, ' + c.not_applicable + ' not applicable.'));
    if (rule.controls.length) {
      subheading('Controls');
      var ul = add(detail, el('ul', 'ctl-links'));
      rule.controls.forEach(function (pair) {
        var li = add(ul, el('li'));
        add(li, el('span', 'fw', pair[0]));
        pair[1].forEach(function (cid) { text(li, ' '); link(li, controlHref(pair[0], cid), cid, 'cid'); });
      });
    }
    var open = [], closed = [];
    for (var i = 0; i < findings.length; i++) if (findings[i][0] === r) (isOpen(verdicts[findings[i][1]]) ? open : closed).push(i);
    subheading('Failing and unknown findings (' + open.length + ')');
    findingList(detail, open, false);
    if (rule.remediation && open.length) remediation(detail, rule, undefined);
    subheading('Passed and not applicable');
    if (closed.length) findingList(detail, closed, false);
    else if (passed[r] && typeof passed[r][1] !== 'number') {
      var box = add(detail, el('div'));
      resourceList(box, 'Passed', passed[r][1]);
      resourceList(box, 'Not applicable', passed[r][2]);
    } else if (data.passedMode === 'count') add(detail, el('p', 'muted', 'Counted only: this report was written with --passed count.'));
    else add(detail, el('p', 'muted', 'None.'));
  }
  var byResource = null;
  function indexResources() {
    byResource = {};
    function at(n) { return byResource[n] || (byResource[n] = []); }
    for (var i = 0; i < findings.length; i++) at(findings[i][2]).push(['f', i]);
    (data.passed || []).forEach(function (p) {
      if (typeof p[1] === 'number') return;
      p[1].forEach(function (n) { at(n).push(['p', p[0], 'pass']); });
      p[2].forEach(function (n) { at(n).push(['p', p[0], 'not_applicable']); });
    });
  }
  function showResource(n) {
    if (!byResource) indexResources();
    var res = resources[n], judged = byResource[n] || [];
    heading(types[res[2]] + ' \u00b7 ' + regions[res[3]], res[1] !== null ? res[1] : res[0]);
    add(detail, el('p', 'arn', res[0]));
    if (res.length > 4) add(detail, el('p', 'muted mono', res[4]));
    for (var a = 0; a < judged.length; a++) {
      if (judged[a][0] !== 'f') continue;
      var why = aiOf(findings[judged[a][1]]);
      if (why) { add(detail, el('p', 'ai-why', 'AI: ' + why.join('; '))); break; }
    }
    subheading('Every rule that judged it (' + judged.length + ')');
    var body = table(detail, ['Rule', 'Severity', 'Verdict', 'Finding']);
    moreButton(detail, judged.length, function (k) {
      var j = judged[k], tr = add(body, el('tr')), rc = add(tr, el('td'));
      var r = j[0] === 'f' ? findings[j[1]][0] : j[1], v = j[0] === 'f' ? verdicts[findings[j[1]][1]] : j[2];
      var sev = j[0] === 'f' ? severityOf(findings[j[1]]) : rules[r].severity;
      link(rc, ruleHref(rules[r].id), rules[r].id, 'rule-id');
      add(rc, el('div', null, j[0] === 'f' ? titleOf(findings[j[1]]) : rules[r].title));
      add(add(tr, el('td')), el('span', 'badge sev-' + sev, sev));
      var vc = add(tr, el('td'));
      add(vc, el('span', 'badge v-' + v, VERDICT_LABEL[v] || v));
      if (j[0] === 'f' && extra(findings[j[1]]).suppression) { text(vc, ' '); add(vc, el('span', 'badge v-not_applicable', 'Suppressed')); }
      var mc = add(tr, el('td'));
      if (j[0] !== 'f') { add(mc, el('span', 'muted', '\u2014')); return; }
      add(mc, el('p', 'msg', messageOf(findings[j[1]])));
      var ev = slot(findings[j[1]], 4);
      if (ev >= 0) evidenceTable(details(mc, 'Evidence'), evidence[ev], 0);
    });
    if (data.passedMode === 'count') add(detail, el('p', 'muted', 'Rules that passed it or found it not applicable are counted only (--passed count), not listed here.'));
  }
  function decode(part) { try { return decodeURIComponent(part); } catch (err) { return null; } }
  function openAncestors(node) {
    for (var p = node.parentNode; p; p = p.parentNode) if (p.tagName === 'DETAILS') p.open = true;
  }
  function route() {
    var h = location.hash;
    if (h.indexOf('#/') !== 0) {
      var wasOpen = !detail.hidden;
      detail.hidden = true;
      detail.textContent = '';
      document.body.classList.remove('detail-open');
      detail.setAttribute('data-route', h);
      var target = h.length > 1 ? document.getElementById(decode(h.slice(1)) || '') : null;
      if (target) { openAncestors(target); target.scrollIntoView(); }
      else if (wasOpen) window.scrollTo(0, 0);
      return;
    }
    var parts = h.slice(2).split('/');
    detail.textContent = '';
    var nav = add(detail, el('nav', 'crumbs'));
    var back = add(nav, el('button', 'back', 'Back'));
    back.type = 'button';
    back.addEventListener('click', function () { history.back(); });
    text(nav, ' ');
    link(nav, '#summary', 'Report overview');
    var a = decode(parts[1] || ''), b = parts.length > 2 ? decode(parts.slice(2).join('/')) : null, n = Number(parts[1]);
    if (parts[0] === 'control' && a !== null && b !== null) showControl(a, b);
    else if (parts[0] === 'rule' && a !== null && parts.length === 2) showRule(a);
    else if (parts[0] === 'resource' && parts.length === 2 && String(n) === parts[1] && n >= 0 && n < resources.length) showResource(n);
    else notFound('This address names nothing in this report.');
    detail.hidden = false;
    document.body.classList.add('detail-open');
    // Which address the panel shows (tests and scripts wait for it: hashchange is asynchronous).
    detail.setAttribute('data-route', h);
    window.scrollTo(0, 0);
    var title = byId('detail-title');
    if (title) title.focus({ preventScroll: true });
  }
  window.addEventListener('hashchange', route);
  if (location.hash.indexOf('#/') === 0) route();
`;

export const DRILLDOWN_CSS = `
body.detail-open main > section:not(#detail) { display: none; }
.detail { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; }
.detail h2 { border: 0; padding: 0; margin: 0 0 8px; font-size: 20px; }
.detail h2:focus { outline: none; }
.detail h3 { margin: 18px 0 8px; }
.detail .kicker { font-size: 13px; color: var(--muted); }
.detail .meta { margin: 0 0 8px; color: var(--muted); }
.crumbs { margin: 0 0 12px; font-size: 13px; display: flex; gap: 12px; align-items: center; }
.crumbs .back, .detail .more {
  font: inherit; font-size: 13px; color: var(--ink); padding: 4px 10px; border: 1px solid #c3ccd6; border-radius: 6px; background: #f1f4f8; cursor: pointer;
}
.detail .more { margin-top: 8px; }
.ctl-links { margin: 0; padding-left: 18px; }
.ctl-links .fw { font-weight: 650; background: #eef2f7; border-radius: 4px; padding: 0 5px; }
table.evidence { width: auto; max-width: 100%; font-size: 12.5px; border: 1px solid var(--line); }
table.evidence th { position: static; text-transform: none; letter-spacing: 0; font-size: 12px; font-weight: 600; color: var(--ink); background: #f3f6f9; white-space: nowrap; width: 1%; }
table.evidence th, table.evidence td { padding: 3px 8px; }
table.evidence table.evidence { margin: 2px 0; }
.ev-v { overflow-wrap: anywhere; white-space: pre-wrap; }
.ev-list { margin: 0; padding-left: 16px; }
a.arn { color: var(--accent); }
`;
