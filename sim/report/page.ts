// The HTML shell shared by run and sweep reports: inline CSS and a small inline script (hover
// tooltips from data-tip, copy buttons), no external URL, so a report opens offline from disk.
import { escapeHtml } from './escape.ts';

const css = `
:root{--ok:#1f9d55;--bad:#d64545;--unknown:#c77c02;--ink:#1d2433;--muted:#667085;--line:#e4e7ec;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1240px;margin:0 auto;padding:20px 24px 60px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:16px 0 8px}h4{font-size:13px;margin:12px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.muted{color:var(--muted)}.mono,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.bad{color:var(--bad)}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:10px 0;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.verdict{display:flex;align-items:center;gap:18px;border-radius:10px;padding:18px 22px;margin:14px 0;color:#fff}
.verdict.valid{background:var(--ok)}.verdict.invalid{background:var(--bad)}.verdict.unknown{background:var(--unknown)}
.verdict .word{font-size:34px;font-weight:800;letter-spacing:.02em}
.verdict .why{font-size:15px;opacity:.95}
.checkers{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:10px}
.checker{background:#fff;border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:8px;padding:10px 12px}
.checker.valid{border-left-color:var(--ok)}.checker.invalid{border-left-color:var(--bad)}.checker.unknown{border-left-color:var(--unknown)}.checker.nothing{border-left-color:var(--muted)}
.checker .name{font-weight:700}.checker .summary{color:var(--muted);margin-top:4px;word-break:break-word}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:12px;font-weight:700;color:#fff;margin-left:6px;vertical-align:1px}
.badge.valid{background:var(--ok)}.badge.invalid{background:var(--bad)}.badge.unknown{background:var(--unknown)}.badge.nothing{background:var(--muted)}
.cmd{display:flex;align-items:stretch;margin:6px 0}
.cmd .label{width:70px;color:var(--muted);padding-top:7px}
.cmd pre{flex:1;margin:0;background:#0f172a;color:#e2e8f0;padding:7px 10px;border-radius:6px 0 0 6px;overflow-x:auto;white-space:pre}
.cmd button{border:0;background:#334155;color:#fff;border-radius:0 6px 6px 0;padding:0 12px;cursor:pointer;font:inherit}
.cmd button:hover{background:#475569}
.scroll{overflow-x:auto;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px}
svg text{font-family:Helvetica,Arial,sans-serif}
svg .lane{font-size:11px;fill:#475467}svg .tick{font-size:10px;fill:#667085}svg .grid{stroke:#eef0f3}
svg .leader-label,svg .fault-label{font-size:10.5px;fill:#fff;pointer-events:none;font-weight:600}
svg .leader-label.none{fill:#344054;font-weight:500}
svg .cx-label{font-size:11px;fill:#1d2433;pointer-events:none}
svg .lin-path{fill:none;stroke:#1d2433;stroke-width:1.2;stroke-dasharray:3 2}svg .lin-point{fill:#1d2433}
svg .cx.failed{stroke:#7a0019;stroke-width:2}
svg [data-tip]:hover{stroke:#111;stroke-width:1.5}
.legend{margin:6px 0;color:var(--muted);font-size:12.5px}
.sw{display:inline-block;width:12px;height:12px;border-radius:3px;vertical-align:-2px;margin:0 4px 0 12px}
.sw:first-child{margin-left:0}
table.data{border-collapse:collapse;width:100%;background:#fff;font-size:13px;margin:6px 0}
table.data th{text-align:left;background:#f2f4f7;color:#344054;font-weight:600}
table.data th,table.data td{border:1px solid var(--line);padding:4px 8px;vertical-align:top;word-break:break-word}
table.data tr.named td,table.data tr.failed td{background:#fff1f3}table.data tr.concurrent td{background:#fff8e6}
.pill{border-radius:4px;padding:0 6px;font-size:12px}.pill.ok{background:#dbeeff}.pill.fail{background:#ffd9e0}.pill.info{background:#ffe8c2}
.nowrap{white-space:nowrap}
.zoom{float:right;font-size:12.5px;color:var(--muted)}
.zoom button{border:1px solid var(--line);background:#fff;border-radius:4px;padding:1px 8px;margin-left:4px;cursor:pointer;font:inherit}
.zoom button.on{background:#344054;color:#fff;border-color:#344054}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.reason{background:#fff1f3;border-left:4px solid var(--bad);padding:6px 10px}
code.state{background:#f2f4f7;padding:2px 6px;border-radius:4px;word-break:break-all}
pre.json{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px;max-height:420px;overflow:auto}
details summary{cursor:pointer;color:#344054;margin:6px 0}
a{color:#175cd3}
nav.toc{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px;margin:4px 0 10px}
#tip{position:fixed;z-index:10;display:none;max-width:560px;background:#111827;color:#f9fafb;padding:8px 10px;border-radius:6px;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word;pointer-events:none;box-shadow:0 4px 14px rgba(0,0,0,.25)}
table.runs td.verdict-cell{font-weight:700}table.runs td.scenario{max-width:380px;min-width:9em}table.runs td.what{min-width:14em}
.table-scroll{overflow-x:auto}
table.runs tr.invalid td.verdict-cell{color:var(--bad)}table.runs tr.unknown td.verdict-cell{color:var(--unknown)}table.runs tr.valid td.verdict-cell{color:var(--ok)}
table.failures td.verdict-cell{font-weight:700}table.failures tr.invalid td.verdict-cell{color:var(--bad)}table.failures tr.unknown td.verdict-cell{color:var(--unknown)}table.failures td.scenario,table.scenarios td.scenario{min-width:9em}table.failures td.what{min-width:14em}table.scenarios td.worst{min-width:10em}table.failures td.commands{min-width:18em}
table.scenarios td.bad{color:var(--bad);font-weight:700}table.scenarios tr.invalid .verdict-word{color:var(--bad);font-weight:700}table.scenarios tr.unknown .verdict-word{color:var(--unknown);font-weight:700}table.scenarios tr.valid .verdict-word{color:var(--muted)}
/* a phone: two tables side by side broke words ("val ue", "1.5 18 s"), the verdict word took half the banner */
@media (max-width:640px){.grid2{grid-template-columns:1fr}.verdict{flex-direction:column;align-items:flex-start;gap:4px;padding:14px 16px}.verdict .word{font-size:28px}
/* the sweep's failures as one card each: as a table, what failed and the commands wrapped a few words a line (20,000 px for 12 failures) */
table.failures thead{display:none}table.failures,table.failures tbody,table.failures tr{display:block}table.failures tr{border:1px solid var(--line);margin:0 0 8px;background:#fff}table.failures td{display:block;border:none;min-width:0!important;padding:2px 8px}table.failures td.scenario,table.failures td.nowrap{display:inline-block}table.failures td.seed::before{content:"seed ";color:var(--muted)}}
`;

const script = `
(function(){
  var tip=document.getElementById('tip');
  document.addEventListener('mouseover',function(e){
    var t=e.target&&e.target.closest?e.target.closest('[data-tip]'):null;
    if(!t){tip.style.display='none';return;}
    tip.textContent=t.getAttribute('data-tip');tip.style.display='block';
  });
  document.addEventListener('mousemove',function(e){
    if(tip.style.display!=='block')return;
    var x=e.clientX+14,y=e.clientY+14,r=tip.getBoundingClientRect();
    if(x+r.width>window.innerWidth-8)x=Math.max(8,e.clientX-r.width-14);
    if(y+r.height>window.innerHeight-8)y=Math.max(8,e.clientY-r.height-14);
    tip.style.left=x+'px';tip.style.top=y+'px';
  });
  function zoom(svg,k){
    var left=Number(svg.getAttribute('data-left')),w0=Number(svg.getAttribute('data-width'));
    svg.querySelectorAll('rect,text,line').forEach(function(el){
      if(el.classList.contains('lane'))return;
      ['x','x1','x2','width'].forEach(function(a){
        if(!el.hasAttribute(a))return;
        var base=el.getAttribute('data-'+a);
        if(base===null){base=el.getAttribute(a);el.setAttribute('data-'+a,base);}
        var v=Number(base);
        el.setAttribute(a,String(a==='width'?v*k:left+(v-left)*k));
      });
    });
    var w=left+(w0-left)*k;svg.setAttribute('width',String(w));
    svg.setAttribute('viewBox','0 0 '+w+' '+svg.getAttribute('height'));
  }
  document.addEventListener('click',function(e){
    var z=e.target&&e.target.closest?e.target.closest('button[data-zoom]'):null;
    if(z){
      var svg=document.getElementById(z.getAttribute('data-target'));
      zoom(svg,Number(z.getAttribute('data-zoom')));
      z.parentNode.querySelectorAll('button').forEach(function(b){b.classList.toggle('on',b===z);});
      return;
    }
    var b=e.target&&e.target.closest?e.target.closest('button[data-copy]'):null;
    if(!b)return;
    var text=document.getElementById(b.getAttribute('data-copy')).textContent;
    function done(){b.textContent='copied';setTimeout(function(){b.textContent='copy';},1200);}
    if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(text).then(done,function(){});}
    else{var r=document.createRange();r.selectNodeContents(document.getElementById(b.getAttribute('data-copy')));var s=getSelection();s.removeAllRanges();s.addRange(r);}
  });
})();
`;

export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<main>
${body}
</main>
<div id="tip" role="tooltip"></div>
<script>${script}</script>
</body>
</html>
`;
}

/** Buttons that stretch a drawing's time axis (the page script re-lays its x coordinates). */
export function zoomButtons(targetId: string, factors: readonly number[]): string {
  const buttons = factors.map((k) => `<button type="button" data-zoom="${k}" data-target="${escapeHtml(targetId)}"${k === 1 ? ' class="on"' : ''}>${k}×</button>`);
  return `<span class="zoom">zoom ${buttons.join('')}</span>`;
}

/** A copyable command line: the text is escaped, the button copies it. */
export function commandLine(id: string, label: string, command: string): string {
  return `<div class="cmd"><span class="label">${escapeHtml(label)}</span><pre id="${escapeHtml(id)}">${escapeHtml(command)}</pre><button type="button" data-copy="${escapeHtml(id)}">copy</button></div>`;
}
