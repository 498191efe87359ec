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
            // A full load of a chart page has it in the document already (`<script defer data-plotly>`, App.razor). One
            // that Blazor's enhanced navigation merged into the head later never runs: only the first document's counts.
            // Deferred scripts have all run (or failed) once DOMContentLoaded started: past it, no Plotly means the
            // in-page script failed and a new one is loaded (no inline onerror: the Content-Security-Policy refuses it).
            const nav = performance.getEntriesByType('navigation')[0];
            const firstDocument = nav && new URL(nav.name).pathname === location.pathname;
            const pending = firstDocument && !(nav.domContentLoadedEventStart > 0);
            const inPage = pending ? document.querySelector('script[data-plotly]') : null;
            const script = inPage || document.createElement('script');
            script.addEventListener('load', () => resolve(window.Plotly));
            script.addEventListener('error', () => { plotlyLoading = null; reject(new Error('Failed to load ' + plotlyUrl)); });
            if (!inPage) {
                script.src = plotlyUrl;
                script.async = true;
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
        const x = new Array(n), y = new Array(n);
        for (let j = 0; j < n; j++) x[j] = f[i + j];
        for (let j = 0; j < n; j++) {
            const v = f[i + n + j];
            y[j] = Number.isFinite(v) ? v : null;
        }
        i += 2 * n;
        traces.push({ x, y });
    }
    return traces;
}

/** Downloads plotly.js without running it (a page about to show charts calls it first thing): its 1.4 MB of script
 * are evaluated by `loadPlotly` once the charts' data requests are in flight, not while .NET prepares them. */
export function preload() {
    if (window.Plotly || plotlyLoading || document.querySelector(`link[href="${plotlyUrl}"], script[data-plotly]`)) return;
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
    await Plotly.react(el, data, spec.layout, spec.config);
    if (dotnet && !el.__trackerRelayout) {
        el.__trackerRelayout = true;
        el.on('plotly_relayout', e => {
            if (el.__trackerOwnRelayout) return;
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
    await Plotly.react(el, [{ type: 'heatmap', x, y, z, colorscale: 'Viridis' }], layout, config);
}

/** Frees Plotly's resources of the element. */
export function purge(id) {
    const el = document.getElementById(id);
    if (el && el.__trackerVisible) el.__trackerVisible.disconnect();
    if (el && window.Plotly) window.Plotly.purge(el);
}
