// The dashboard's chart drawing (imported as a JS module by MetricChart and GradientSection).
// Points arrive packed: one Uint8Array holding float64 values, per trace [n, x1..xn, y1..yn]; a non-finite y is a gap.
// No per-point objects cross the .NET/JS boundary: a full redraw of a chart is one copy of its numbers.

// plotly.js's official cartesian partial bundle (scatter and heatmap are the trace types drawn here), vendored from npm
// `plotly.js-cartesian-dist-min` (see docs/dashboard.md): 1.4 MB instead of the full bundle's 4.7 MB.
const plotlyUrl = './lib/plotly/plotly-cartesian-3.7.0.min.js';
let plotlyLoading = null;

function plotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyLoading) {
        plotlyLoading = new Promise((resolve, reject) => {
            // A chart page loaded in full starts evaluating plotly.js as soon as Blazor has started (`afterWebStarted` in
            // Tracker.Client.lib.module.js marks its script `data-plotly="loading"`, then "loaded" or "failed"): wait for
            // that one while it loads; otherwise (none, or it failed) load it here.
            const inPage = document.querySelector('script[data-plotly="loading"]');
            const script = inPage || document.createElement('script');
            script.addEventListener('load', () => resolve(window.Plotly));
            script.addEventListener('error', () => { plotlyLoading = null; reject(new Error('Failed to load ' + plotlyUrl)); });
            if (!inPage) {
                script.src = plotlyUrl;
                script.async = true;
                script.dataset.plotly = 'loading';
                document.head.appendChild(script);
            }
        });
    }
    return plotlyLoading;
}

function unpack(bytes) {
    // Copy into an aligned buffer (the bytes' offset need not be a multiple of 8).
    const f = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const traces = [];
    let i = 0;
    while (i < f.length) {
        const n = f[i++];
        const x = new Array(n), y = new Array(n), bad = {};
        for (let j = 0; j < n; j++) x[j] = f[i + j];
        for (let j = 0; j < n; j++) {
            const v = f[i + n + j];
            y[j] = Number.isFinite(v) ? v : null;
            if (!Number.isFinite(v)) bad[j] = v; // NaN or ±∞: a gap in the line, marked by `readable`
        }
        i += 2 * n;
        traces.push({ x, y, bad });
    }
    return traces;
}

/** Downloads plotly.js without running it (a page about to show charts calls it first thing): its 1.4 MB of script
 * are evaluated by `loadPlotly` once the charts' data requests are in flight, not while .NET prepares them. */
export function preload() {
    if (window.Plotly || plotlyLoading || document.querySelector(`link[href="${plotlyUrl}"], link[data-plotly], script[data-plotly]`)) return;
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'script';
    link.href = plotlyUrl;
    document.head.appendChild(link);
}

/** Starts evaluating plotly.js (a chart calls it once its data requests are sent). */
export function loadPlotly() {
    plotly().catch(() => { });
}

/** Resolves once the browser has painted the next frame (or after 100 ms where frames do not run, in a hidden tab):
 * a chart's first drawing is shown before the page starts its next work. */
export function afterPaint() {
    return new Promise(resolve => {
        const timer = setTimeout(resolve, 100);
        requestAnimationFrame(() => setTimeout(() => { clearTimeout(timer); resolve(); }, 0));
    });
}

/** Width of an element in CSS pixels (0 when absent). */
export function elementWidth(id) {
    const el = document.getElementById(id);
    return el ? Math.round(el.getBoundingClientRect().width) : 0;
}

/** Calls back `OnVisibility(true, inViewport)` when the element comes within `margin` pixels of the viewport
 * (`inViewport`: it is in the viewport itself, not only in the margin) and `OnVisibility(false, false)` when it leaves. */
export function observeVisible(id, dotnet, margin) {
    const el = document.getElementById(id);
    if (!el) return;
    if (!('IntersectionObserver' in window)) {
        dotnet.invokeMethodAsync('OnVisibility', true, true);
        return;
    }
    let shown = null;
    const observer = new IntersectionObserver(entries => {
        const entry = entries[entries.length - 1];
        const now = entry.isIntersecting;
        if (now === shown) return;
        shown = now;
        const box = entry.boundingClientRect;
        dotnet.invokeMethodAsync('OnVisibility', now, now && box.top < window.innerHeight && box.bottom > 0);
    }, { rootMargin: `${margin}px 0px ${margin}px 0px` });
    observer.observe(el);
    el.__trackerVisible = observer;
}

/** An x-axis range end as a number: steps as they are; on a date axis (x in epoch ms, shown as UTC) the date string as epoch ms. */
function axisNumber(el, x) {
    if (typeof x === 'number') return x;
    if (el.layout && el.layout.xaxis && el.layout.xaxis.type === 'date') {
        const s = String(x).trim().replace(' ', 'T');
        return Date.parse(s.includes('T') ? s + 'Z' : s); // a date-only string already parses as UTC
    }
    return Number(x);
}

/** Keeps a chart readable (mutates `data`, returns the layout to draw):
 * - a value that is NaN or ±∞ is a gap in its line, with an ✕ where the line last had a value;
 * - a trace that runs far beyond the others (a diverged tail) is clipped at the top of the others' range, with a ▲
 *   where it leaves the plot, instead of flattening every other line (linear y only; a zoom still shows everything);
 * - when the values span more than three decades (all positive), a "log y" button is offered on the chart itself, and
 *   is switched on while the user has set neither it nor the page's "log y" control (`layout.meta.autoLogY`) and no
 *   trace was clipped. */
// SketchGeometry.AutoLogY (C#) repeats the log-y and clipping decisions below for the server's first-paint sketch: change both together.
function readable(layout, data, raw, el) {
    const out = { ...layout, yaxis: { ...(layout.yaxis || {}) } };
    const logOffered = out.yaxis.type !== 'log';
    const userLogY = el ? el.__trackerLogY : undefined; // the chart's own "log y" button, once the user clicked it
    if (logOffered && userLogY) out.yaxis.type = 'log';
    const markers = [];
    const n = data.length;
    const stats = [];
    for (let t = 0; t < n; t++) {
        const y = data[t].y, x = data[t].x, r = raw && raw[t] ? raw[t] : null;
        let lo = Infinity, hi = -Infinity, firstHalfHi = -Infinity, posLo = Infinity, last = -1, flagged = false;
        for (let i = 0; i < y.length; i++) {
            const v = y[i];
            if (v === null || v === undefined) {
                if (!flagged && last >= 0 && r && r[i] !== undefined && !Number.isFinite(r[i])) {
                    markers.push({ x: x[last], y: y[last], symbol: 'x', color: data[t].line.color, text: `${data[t].name}: ${r[i]} after step ${x[last]}` });
                    flagged = true;
                }
                continue;
            }
            last = i;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
            if (v > 0 && v < posLo) posLo = v;
            if (i < y.length / 2 && v > firstHalfHi) firstHalfHi = v;
        }
        stats.push({ lo, hi, firstHalfHi: Number.isFinite(firstHalfHi) ? firstHalfHi : hi, posLo });
    }
    const finite = stats.filter(s => Number.isFinite(s.lo));
    if (finite.length > 0 && out.yaxis.type !== 'log') {
        const lo = Math.min(...finite.map(s => s.lo));
        let cap = Infinity;
        if (finite.length === 1) {
            const s = finite[0], base = s.firstHalfHi - lo;
            if (base > 0 && s.hi - lo > 10 * base) cap = lo + 1.5 * base;
        } else {
            const heights = finite.map(s => s.hi - lo).sort((a, b) => a - b);
            const base = heights[Math.floor((heights.length - 1) / 2)];
            const kept = heights.filter(h => h <= 10 * base);
            if (base > 0 && kept.length < heights.length) cap = lo + 1.15 * Math.max(...kept);
        }
        if (Number.isFinite(cap)) {
            out.yaxis.range = [lo - 0.05 * (cap - lo), cap];
            out.yaxis.autorange = false;
            for (let t = 0; t < n; t++) {
                const y = data[t].y, i = y.findIndex(v => v !== null && v > cap);
                if (i >= 0) markers.push({ x: data[t].x[i], y: cap, symbol: 'triangle-up', color: data[t].line.color, text: `${data[t].name}: ${y[i]} at step ${data[t].x[i]} (off the chart)` });
            }
            out.meta = { ...(out.meta || {}), clipped: true, cap };
        }
    }
    // Log y offered when a series spans more than three decades (all its values positive); switched on until the user
    // sets a control, unless the span comes from a trace running far beyond the others (clipped above: the others keep
    // their linear scale, as they did before it diverged).
    const positive = stats.filter(s => Number.isFinite(s.lo) && s.lo > 0);
    if (positive.length > 0 && positive.length === finite.length) {
        const decades = Math.log10(Math.max(...positive.map(s => s.hi)) / Math.min(...positive.map(s => s.posLo)));
        if (decades > 3 && logOffered) {
            const auto = userLogY === undefined && !!(layout.meta && layout.meta.autoLogY) && !(out.meta && out.meta.clipped);
            if (auto) out.yaxis.type = 'log';
            out.updatemenus = [{
                type: 'buttons', direction: 'left', showactive: true, active: out.yaxis.type === 'log' ? 0 : -1, x: 1, xanchor: 'right', y: 1, yanchor: 'bottom', pad: { r: 0, t: 0, b: 2 },
                buttons: [{ label: 'log y', method: 'relayout', args: [{ 'yaxis.type': 'log', 'yaxis.autorange': true }], args2: [{ 'yaxis.type': 'linear', 'yaxis.autorange': true }] }],
            }];
            out.meta = { ...(out.meta || {}), logSuggested: true, logAuto: auto, decades };
        }
    }
    for (const m of markers) {
        data.push({
            type: 'scatter', mode: 'markers', x: [m.x], y: [m.y], showlegend: false, hovertext: [m.text], hoverinfo: 'text', cliponaxis: false,
            name: 'diverged', marker: { symbol: m.symbol, size: 11, color: m.color || '#b91c1c', line: { width: 1, color: '#b91c1c' } },
        });
    }
    out.meta = { ...(out.meta || {}), markers: markers.length };
    return out;
}

/** The layout in the page's theme: transparent backgrounds, text and grid colours from the design system's tokens
 * (app.css), so a chart follows the light or dark theme the system asks for. */
function themed(layout) {
    const css = getComputedStyle(document.documentElement);
    const token = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const text = token('--text', '#1f2328');
    const grid = token('--border', '#d8dde3');
    const axis = a => ({ gridcolor: grid, zerolinecolor: grid, linecolor: grid, ...(a || {}) });
    return {
        ...layout,
        paper_bgcolor: 'rgba(0,0,0,0)',
        plot_bgcolor: 'rgba(0,0,0,0)',
        font: { color: text, ...(layout.font || {}) },
        xaxis: axis(layout.xaxis),
        yaxis: axis(layout.yaxis),
    };
}

/** Draws the whole chart: `spec` = { traces: [{ name, color, dash }], layout, config }, `packed` = the points. */
export async function draw(id, spec, packed, dotnet) {
    const Plotly = await plotly();
    const el = document.getElementById(id);
    if (!el) return false;
    const points = unpack(packed);
    const data = spec.traces.map((t, i) => ({
        type: 'scatter',
        mode: 'lines',
        name: t.name,
        x: points[i] ? points[i].x : [],
        y: points[i] ? points[i].y : [],
        line: { color: t.color || undefined, width: 1.6, dash: t.dash ? 'dash' : 'solid' },
    }));
    await Plotly.react(el, data, themed(readable(spec.layout, data, points.map(p => p.bad), el)), spec.config);
    // The server's first-paint sketch (ChartSketch) over the plot goes as soon as the real chart is there; hidden, not
    // removed: Blazor owns that element and removes it on its next render.
    const sketch = el.parentElement && el.parentElement.querySelector('.sketch');
    if (sketch) sketch.style.visibility = 'hidden';
    window.dispatchEvent(new CustomEvent('tracker:chart-drawn', { detail: id }));
    if (dotnet && !el.__trackerRelayout) {
        el.__trackerRelayout = true;
        el.on('plotly_relayout', e => {
            if (el.__trackerOwnRelayout) return;
            if ('yaxis.type' in e) {
                el.__trackerLogY = e['yaxis.type'] === 'log'; // the "log y" button: kept across redraws, not a zoom
                return;
            }
            const x0 = e['xaxis.range[0]'] ?? (e['xaxis.range'] ? e['xaxis.range'][0] : undefined);
            const x1 = e['xaxis.range[1]'] ?? (e['xaxis.range'] ? e['xaxis.range'][1] : undefined);
            if (x0 !== undefined && x1 !== undefined) dotnet.invokeMethodAsync('OnZoom', axisNumber(el, x0), axisNumber(el, x1));
            else if (Object.keys(e).some(k => k.includes('autorange'))) dotnet.invokeMethodAsync('OnAutorange');
        });
    }
    return true;
}

/** Appends points to traces `indices`, keeping at most `max` points per trace. */
export function extend(id, packed, indices, max) {
    const el = document.getElementById(id);
    if (!el || !window.Plotly || !el.data) return false;
    const points = unpack(packed);
    window.Plotly.extendTraces(el, { x: points.map(p => p.x), y: points.map(p => p.y) }, indices, max);
    return true;
}

/** Lets both axes autorange again (the "reset zoom" link) without reporting it back as a user zoom. */
export async function resetAxes(id) {
    const el = document.getElementById(id);
    if (!el || !window.Plotly || !el.data) return;
    el.__trackerOwnRelayout = true;
    try {
        await window.Plotly.relayout(el, { 'xaxis.autorange': true, 'yaxis.autorange': true });
    } finally {
        el.__trackerOwnRelayout = false;
    }
}

/** A heatmap: x (steps), y (labels), z packed as rows of float64 (non-finite = empty cell). */
export async function heatmap(id, x, y, packedZ, layout, config) {
    const Plotly = await plotly();
    const el = document.getElementById(id);
    if (!el) return;
    const f = new Float64Array(packedZ.buffer.slice(packedZ.byteOffset, packedZ.byteOffset + packedZ.byteLength));
    const z = [];
    for (let r = 0; r < y.length; r++) {
        const row = new Array(x.length);
        for (let c = 0; c < x.length; c++) {
            const v = f[r * x.length + c];
            row[c] = Number.isFinite(v) ? v : null;
        }
        z.push(row);
    }
    await Plotly.react(el, [{ type: 'heatmap', x, y, z, colorscale: 'Viridis' }], themed(layout), config);
}

/** Frees Plotly's resources of the element. */
export function purge(id) {
    const el = document.getElementById(id);
    if (el && el.__trackerVisible) el.__trackerVisible.disconnect();
    if (el && window.Plotly) window.Plotly.purge(el);
}
