/**
 * One self-contained HTML file for a report: the Vega runtime inlined once, each chart's compiled
 * Vega spec and its data (columns, numbers to 6 significant digits) inlined as JSON, a small
 * script that draws the charts as SVG, shows tooltips, fills the "data" tables on demand (with a
 * CSV download of each chart's numbers), and makes large tables sortable and filterable. No
 * request leaves the file: no fonts, images, styles or scripts from anywhere else. Print CSS lays
 * the page out for paper (charts not split, controls hidden).
 *
 * The Vega runtime's text is passed in (`vegaJs`): reading it from node_modules is the Node edge's
 * job (cli/reportOutput.ts), so this module stays free of `node:*`.
 */
import type { Block, ChartBlock, ReportDocument, Section, TableBlock } from './document.js';
import { rowCount } from './document.js';
import { compactColumns, jsonForScript } from './compact.js';
import { compileChart, type VegaLiteCompiler, type VegaSpec } from './compile.js';
import { formatCell } from './format.js';

export interface HtmlAssets {
  /** The text of `vega/build/vega.min.js`. */
  vegaJs: string;
  /** The Vega-Lite compiler, needed only for charts whose shape is not in the compiled templates (compile.ts). */
  compile?: VegaLiteCompiler;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Table data small enough to be written into the page as HTML (larger tables are built by the script). */
const STATIC_TABLE_ROWS = 60;

function renderStaticTable(t: TableBlock): string {
  const n = rowCount(t.data);
  const head = t.columns
    .map((c) => `<th class="${c.format === 'text' || c.format === 'date' ? 'l' : 'r'}">${escapeHtml(c.label)}</th>`)
    .join('');
  const body: string[] = [];
  for (let i = 0; i < n; i++) {
    body.push(
      `<tr>${t.columns.map((c) => `<td class="${c.format === 'text' || c.format === 'date' ? 'l' : 'r'}">${escapeHtml(formatCell(t.data[c.key]?.[i] ?? null, c.format))}</td>`).join('')}</tr>`,
    );
  }
  // in a box of its own that scrolls sideways: a table of many numeric columns on a phone stays
  // inside the page instead of widening it
  return `<div class="fl-tscroll"><table class="fl-static"><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

function renderTable(t: TableBlock): string {
  const title = `<h3>${escapeHtml(t.title)}</h3>`;
  const caption = t.caption ? `<p class="fl-caption">${escapeHtml(t.caption)}</p>` : '';
  if (t.empty !== undefined) return `<div class="fl-block" id="${t.id}">${title}<p class="fl-empty">${escapeHtml(t.empty)}</p></div>`;
  if (!t.interactive && rowCount(t.data) <= STATIC_TABLE_ROWS)
    return `<div class="fl-block" id="${t.id}">${title}${caption}${renderStaticTable(t)}</div>`;
  return `<div class="fl-block" id="${t.id}">${title}${caption}<div class="fl-itable" data-table="${t.id}"><input type="search" class="fl-filter" placeholder="Filter rows (e.g. a ticker)" aria-label="Filter ${escapeHtml(t.title)}"><span class="fl-count"></span><div class="fl-scroll"></div></div></div>`;
}

function renderChart(c: ChartBlock): string {
  const title = `<h3>${escapeHtml(c.title)}</h3>`;
  const caption = c.caption ? `<p class="fl-caption">${escapeHtml(c.caption)}</p>` : '';
  if (c.empty !== undefined)
    return `<div class="fl-block fl-${c.width}" id="${c.id}">${title}<p class="fl-empty">${escapeHtml(c.empty)}</p></div>`;
  const n = rowCount(c.data);
  return (
    `<div class="fl-block fl-${c.width}" id="${c.id}">${title}<div class="fl-chart" data-chart="${c.id}" role="img" aria-label="${escapeHtml(c.title)}"></div>${caption}` +
    `<details class="fl-data" data-for="${c.id}"><summary>Data (${n.toLocaleString('en-US')} rows)</summary><button type="button" class="fl-csv" data-csv="${c.id}">Download CSV</button><div class="fl-scroll"></div></details></div>`
  );
}

function renderBlock(b: Block): string {
  if (b.kind === 'chart') return renderChart(b);
  if (b.kind === 'table') return renderTable(b);
  return `<div class="fl-block fl-text">${b.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</div>`;
}

/** A block of a section with variants: tagged with its variant, hidden unless it is the first. */
function renderVariantBlock(b: Block, first: string): string {
  const html = renderBlock(b);
  if (b.variant === undefined) return html;
  return html.replace(
    /^<div class="fl-block/,
    `<div data-variant="${escapeHtml(b.variant)}"${b.variant === first ? '' : ' hidden'} class="fl-block`,
  );
}

function renderSection(s: Section): string {
  const variants = s.variants && s.variants.length > 1 ? s.variants : null;
  const selector = variants
    ? `<div class="fl-variants" role="group" aria-label="${escapeHtml(s.title)}: show">${variants.map((v, i) => `<button type="button" data-show="${escapeHtml(v)}" aria-pressed="${i === 0}">${escapeHtml(v)}</button>`).join('')}</div>`
    : '';
  const blocks = variants ? s.blocks.map((b) => renderVariantBlock(b, variants[0])) : s.blocks.map(renderBlock);
  return `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.intro ? `<p class="fl-intro">${escapeHtml(s.intro)}</p>` : ''}${selector}<div class="fl-grid">${blocks.join('')}</div></section>`;
}

const CSS = `
:root{--ink:#1d2330;--muted:#5b6475;--line:#e3e7ee;--accent:#1f5fa8;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:940px;margin:0 auto;padding:24px 20px 48px;background:#fff;min-height:100vh}
header h1{font-size:22px;margin:0 0 4px}
header p{margin:0;color:var(--muted)}
.fl-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:18px 0}
.fl-card{border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.fl-card .v{font-size:20px;font-weight:600}
.fl-card .k{color:var(--muted);font-size:12px}
.fl-card .d{color:var(--muted);font-size:11px}
nav{display:flex;flex-wrap:wrap;gap:4px 16px;border-top:1px solid var(--line);border-bottom:1px solid var(--line);padding:8px 0;margin-bottom:8px;font-size:13px}
nav a{color:var(--accent);text-decoration:none;white-space:nowrap}
section{margin-top:28px}
h2{font-size:17px;border-bottom:2px solid var(--ink);padding-bottom:4px;margin:0 0 8px}
h3{font-size:14px;margin:0 0 6px}
.fl-intro{color:var(--muted);margin:0 0 12px}
.fl-grid{display:flex;flex-wrap:wrap;gap:18px 20px}
.fl-block{flex:1 1 100%;min-width:0}
.fl-half{flex:0 1 440px;max-width:100%}
.fl-caption{color:var(--muted);font-size:12px;margin:4px 0 0}
.fl-empty{color:#8a5a00;background:#fff8e6;border:1px solid #f2dfae;border-radius:4px;padding:8px 10px;margin:0}
.fl-chart{overflow-x:auto}
details.fl-data{margin-top:4px;font-size:12px}
details.fl-data summary{cursor:pointer;color:var(--accent)}
.fl-csv{font-size:11px;margin:4px 0}
.fl-scroll{max-height:320px;overflow:auto;border:1px solid var(--line)}
table{border-collapse:collapse;font-size:12px;width:100%}
th,td{padding:3px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
th{background:#f3f5f8;position:sticky;top:0;font-weight:600}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
td.l,th.l{text-align:left}
td.l{white-space:normal;overflow-wrap:anywhere;min-width:6em}
.fl-scroll td.l{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:18em;min-width:0}
.fl-tscroll{max-width:100%;overflow-x:auto}
.fl-itable th{cursor:pointer;user-select:none}
.fl-itable th[aria-sort=ascending]::after{content:" \\25B2"}
.fl-itable th[aria-sort=descending]::after{content:" \\25BC"}
.fl-filter{padding:4px 8px;border:1px solid var(--line);border-radius:4px;width:240px;margin-bottom:6px}
.fl-count{color:var(--muted);font-size:12px;margin-left:10px}
.fl-static{max-width:100%}
.fl-text p{margin:0 0 6px}
.fl-variants{display:flex;gap:4px;margin:0 0 10px}
.fl-variants button{font:inherit;font-size:12px;padding:3px 10px;border:1px solid var(--line);border-radius:4px;background:#fff;color:var(--accent);cursor:pointer}
.fl-variants button[aria-pressed=true]{background:var(--accent);color:#fff;border-color:var(--accent)}
.fl-block[hidden]{display:none}
footer{margin-top:36px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
.fl-tooltip{position:absolute;display:none;pointer-events:none;background:rgba(255,255,255,.97);border:1px solid #c9ced8;border-radius:4px;padding:6px 8px;font-size:12px;box-shadow:0 2px 8px rgba(0,0,0,.12);z-index:10;max-width:360px}
.fl-tooltip table{width:auto}
.fl-tooltip th,.fl-tooltip td{border:0;padding:1px 6px 1px 0;background:none;position:static}
.fl-tooltip th{color:var(--muted);font-weight:normal;text-align:left}
@media print{
  body{background:#fff;font-size:11px}
  main{max-width:none;padding:0}
  nav,details.fl-data,.fl-filter,.fl-csv,.fl-tooltip,.fl-variants{display:none!important}
  .fl-block[hidden]{display:block}
  section{break-before:auto}
  h2{break-after:avoid}
  .fl-block{break-inside:avoid}
  .fl-scroll{max-height:none;overflow:visible;border:0}
  .fl-chart{overflow:visible}
  @page{margin:14mm}
}`;

/** The page's own script: draws every chart, tooltips, data tables, CSV downloads, sortable tables. */
const SCRIPT = `
(function(){
"use strict";
var P=JSON.parse(document.getElementById("fl-payload").textContent);
var tip=document.createElement("div");tip.className="fl-tooltip";document.body.appendChild(tip);
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return{"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c];});}
function num(v,d){if(v===null||v===undefined||v==="")return"";if(typeof v!=="number")return String(v);var a=Math.abs(v);if(a!==0&&(a<1e-4||a>=1e9))return v.toExponential(3);d=d===undefined?6:d;var f=a===0||a>=1?d:Math.min(20,Math.max(d,-Math.floor(Math.log10(a))-1+Math.min(d,4)));return v.toLocaleString("en-US",{maximumFractionDigits:f});}
function fmt(v,f){if(v===null||v===undefined)return"";switch(f){case"int":return typeof v==="number"?v.toLocaleString("en-US",{maximumFractionDigits:0}):String(v);case"pct":return typeof v==="number"?(v*100).toFixed(2)+"%":String(v);case"bp":return typeof v==="number"?(v*1e4).toFixed(1)+" bp":String(v);case"num":return num(v,4);default:return String(v);}}
function cell(t,f){var l=f==="text"||f==="date";return"<td class=\\""+(l?"l":"r")+"\\""+(l&&t.length>20?" title=\\""+esc(t)+"\\"":"")+">"+esc(t)+"</td>";}
function rows(c){var k=Object.keys(c),n=k.length?c[k[0]].length:0,o=new Array(n);for(var i=0;i<n;i++){var r={};for(var j=0;j<k.length;j++)r[k[j]]=c[k[j]][i];o[i]=r;}return o;}
function place(e){var x=e.pageX+14,y=e.pageY+14,w=tip.offsetWidth,W=document.documentElement.clientWidth+window.scrollX;if(x+w>W-8)x=Math.max(8,e.pageX-w-14);tip.style.left=x+"px";tip.style.top=y+"px";}
function handler(h,e,item,value){if(value===null||value===undefined||value===""){tip.style.display="none";return;}var html;if(typeof value==="object"){html="<table>";for(var k in value){if(Object.prototype.hasOwnProperty.call(value,k)){var v=value[k];html+="<tr><th>"+esc(k)+"</th><td>"+esc(typeof v==="number"?num(v):v)+"</td></tr>";}}html+="</table>";}else html=esc(value);tip.innerHTML=html;tip.style.display="block";place(e);}
function withRows(spec,r){var s=Object.assign({},spec);s.data=(spec.data||[]).map(function(d){return d.name==="table"?Object.assign({},d,{values:r}):d;});return s;}
function table(cols,columns,limit){var n=columns.length?(cols[columns[0].key]||[]).length:0,m=Math.min(n,limit);var h="<table><thead><tr>"+columns.map(function(c){return"<th class=\\""+(c.format==="text"||c.format==="date"?"l":"r")+"\\">"+esc(c.label)+"</th>";}).join("")+"</tr></thead><tbody>";for(var i=0;i<m;i++){h+="<tr>"+columns.map(function(c){return cell(fmt(cols[c.key][i],c.format),c.format);}).join("")+"</tr>";}return h+"</tbody></table>"+(n>m?"<p class=\\"fl-caption\\">first "+m+" of "+n+" rows; the CSV has them all</p>":"");}
function csv(cols){var k=Object.keys(cols),n=k.length?cols[k[0]].length:0,q=function(v){if(v===null||v===undefined)return"";var s=String(v);return/[",\\n]/.test(s)?'"'+s.replace(/"/g,'""')+'"':s;},lines=[k.join(",")];for(var i=0;i<n;i++)lines.push(k.map(function(c){return q(cols[c][i]);}).join(","));return lines.join("\\n")+"\\n";}
var views=[];window.__flViews=views;
function fit(v){var s=v.spec,a=s.autosize,cw=v.el.clientWidth;if(typeof s.width!=="number"||!a||String(a.type||a).indexOf("fit")<0||!cw)return false;var w=Math.max(Math.min(s.width,cw),200);if(w===v.w)return false;v.w=w;return true;}
function legendColumns(spec,w){if(!spec.legends)return spec;var s=Object.assign({},spec);s.legends=spec.legends.map(function(l){var sc=(spec.scales||[]).filter(function(x){return x.name===(l.fill||l.stroke);})[0],d=sc&&Array.isArray(sc.domain)?sc.domain:null,e=d&&d.length?Math.max.apply(null,d.map(function(n){return String(n).length;}))*7+32:130,k=Math.max(1,Math.floor((w-10)/e));return d&&d.length<=k?l:Object.assign({},l,{columns:k});});return s;}
function build(v){var spec=typeof v.spec.width==="number"&&v.w<v.spec.width?legendColumns(v.spec,v.w):v.spec;if(v.view)v.view.finalize();v.el.innerHTML="";var view=new vega.View(vega.parse(withRows(spec,v.rows)),{renderer:"svg",container:v.el,hover:true});view.tooltip(handler);if(typeof v.spec.width==="number")view.width(v.w);v.view=view;return view.runAsync();}
function refit(){views.forEach(function(v){if(fit(v))build(v);});}
var charts=document.querySelectorAll("[data-chart]"),pending=[];
Array.prototype.forEach.call(charts,function(el){var id=el.getAttribute("data-chart"),c=P.charts[id];var v={id:id,view:null,el:el,spec:c.spec,rows:rows(c.data),w:c.spec.width};fit(v);views.push(v);pending.push(build(v));});
var rt=0;window.addEventListener("resize",function(){clearTimeout(rt);rt=setTimeout(refit,150);});
Promise.all(pending).then(function(){document.documentElement.setAttribute("data-rendered",String(views.length));},function(err){document.documentElement.setAttribute("data-render-error",String(err));console.error(err);});
document.addEventListener("mouseleave",function(){tip.style.display="none";});
Array.prototype.forEach.call(document.querySelectorAll(".fl-variants"),function(bar){var sec=bar.parentNode;bar.addEventListener("click",function(e){var b=e.target.closest("button[data-show]");if(!b)return;var v=b.getAttribute("data-show");Array.prototype.forEach.call(bar.querySelectorAll("button"),function(x){x.setAttribute("aria-pressed",String(x===b));});Array.prototype.forEach.call(sec.querySelectorAll("[data-variant]"),function(el){el.hidden=el.getAttribute("data-variant")!==v;});refit();});});
Array.prototype.forEach.call(document.querySelectorAll("details.fl-data"),function(d){d.addEventListener("toggle",function(){if(!d.open||d.getAttribute("data-filled"))return;var c=P.charts[d.getAttribute("data-for")];var cols=Object.keys(c.data).map(function(k){return{key:k,label:k,format:typeof c.data[k].find(function(v){return v!==null;})==="number"?"num":"text"};});d.querySelector(".fl-scroll").innerHTML=table(c.data,cols,500);d.setAttribute("data-filled","1");});});
Array.prototype.forEach.call(document.querySelectorAll("[data-csv]"),function(b){b.addEventListener("click",function(){var id=b.getAttribute("data-csv"),blob=new Blob([csv(P.charts[id].data)],{type:"text/csv"}),a=document.createElement("a");a.href=URL.createObjectURL(blob);a.download=id+".csv";document.body.appendChild(a);a.click();setTimeout(function(){URL.revokeObjectURL(a.href);a.remove();},0);});});
Array.prototype.forEach.call(document.querySelectorAll("[data-table]"),function(el){var t=P.tables[el.getAttribute("data-table")],cols=t.columns,data=t.data,n=cols.length?data[cols[0].key].length:0,order=[],sortKey=null,dir=1,box=el.querySelector(".fl-scroll"),input=el.querySelector(".fl-filter"),count=el.querySelector(".fl-count");for(var i=0;i<n;i++)order.push(i);
 function draw(){var f=input.value.trim().toLowerCase(),idx=order;if(f){idx=order.filter(function(i){return cols.some(function(c){var v=data[c.key][i];return v!==null&&String(v).toLowerCase().indexOf(f)>=0;});});}var shown=idx.slice(0,300),h="<table><thead><tr>"+cols.map(function(c){return"<th class=\\""+(c.format==="text"||c.format==="date"?"l":"r")+"\\" data-key=\\""+esc(c.key)+"\\""+(sortKey===c.key?" aria-sort=\\""+(dir>0?"ascending":"descending")+"\\"":"")+">"+esc(c.label)+"</th>";}).join("")+"</tr></thead><tbody>";shown.forEach(function(i){h+="<tr>"+cols.map(function(c){return cell(fmt(data[c.key][i],c.format),c.format);}).join("")+"</tr>";});box.innerHTML=h+"</tbody></table>";count.textContent=idx.length===n?(n>shown.length?"first "+shown.length+" of ":"")+n+" rows":idx.length+" of "+n+" rows match"+(idx.length>shown.length?" (first "+shown.length+" shown)":"");}
 box.addEventListener("click",function(e){var th=e.target.closest("th");if(!th)return;var k=th.getAttribute("data-key");dir=sortKey===k?-dir:(data[k].some(function(v){return typeof v==="number";})?-1:1);sortKey=k;var col=data[k];order.sort(function(a,b){var x=col[a],y=col[b];if(x===null&&y===null)return a-b;if(x===null)return 1;if(y===null)return-1;return(x<y?-1:x>y?1:a-b)*dir;});draw();});
 input.addEventListener("input",draw);draw();});
})();`;

/** The whole page. */
export function renderReportHtml(doc: ReportDocument, assets: HtmlAssets): string {
  const charts: Record<string, { spec: VegaSpec; data: Record<string, unknown> }> = {};
  const tables: Record<string, { columns: TableBlock['columns']; data: Record<string, unknown> }> = {};
  for (const s of doc.sections) {
    for (const b of s.blocks) {
      if (b.kind === 'chart' && b.empty === undefined)
        charts[b.id] = { spec: compileChart(b, assets.compile), data: compactColumns(b.data) };
      if (b.kind === 'table' && b.empty === undefined && (b.interactive || rowCount(b.data) > STATIC_TABLE_ROWS))
        tables[b.id] = { columns: b.columns, data: compactColumns(b.data) };
    }
  }
  const cards = doc.headlines
    .map(
      (h) =>
        `<div class="fl-card"><div class="k">${escapeHtml(h.label)}</div><div class="v">${escapeHtml(h.value)}</div>${h.detail ? `<div class="d">${escapeHtml(h.detail)}</div>` : ''}</div>`,
    )
    .join('');
  const nav = doc.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('');
  const vegaJs = assets.vegaJs.replace(/<\/script/gi, '<\\/script');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:">
<title>${escapeHtml(doc.title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${escapeHtml(doc.title)}</h1><p>${escapeHtml(doc.subtitle)}</p></header>
<div class="fl-cards">${cards}</div>
<nav>${nav}</nav>
${doc.sections.map(renderSection).join('\n')}
<footer>${escapeHtml(doc.footer)}</footer>
</main>
<script>${vegaJs}</script>
<script type="application/json" id="fl-payload">${jsonForScript({ charts, tables })}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
