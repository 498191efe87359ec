// Blazor Web's JavaScript initializer for Tracker.Client (blazor.web.js imports `<assembly>.lib.module.js` by name).

// The WebAssembly runtime's compilation and start, held back on a first visit until the page is live (see beforeWebStart).
let releaseRuntime = null;
let runtimeFallback = null;

/**
 * On a first visit to a page the server made interactive over a circuit (Auto render mode, the runtime not cached),
 * holds back the WebAssembly runtime's compilation and start until the page is live, then lets it load in the background.
 *
 * Blazor starts loading the runtime as soon as it sees an Auto component, so that the next visit runs in the browser.
 * On a first visit that load (compiling `dotnet.native.wasm`, starting Mono: over a second of main-thread work on a
 * 2-core machine, measured) ran while the circuit was being set up and the page's charts drawn, and held them back.
 * Here `dotnet.native.wasm` is fetched only once every server-drawn chart sketch in view has been replaced by its live
 * chart (charts.js dispatches `tracker:chart-drawn`), 3 s after the circuit started at the latest, or at once when an
 * in-app navigation needs the runtime. The other files still download meanwhile. The server marks such a page with
 * `<meta name="tracker-webassembly" content="after-interactive">` (App.razor: the run page, loaded in full). With the
 * runtime cached (Blazor then picks WebAssembly), or on any other page, nothing changes.
 */
export function beforeWebStart(options) {
    if (!document.querySelector('meta[name="tracker-webassembly"][content="after-interactive"]') || runtimeLikelyCached()) return;
    const released = new Promise(resolve => { releaseRuntime = resolve; });
    const release = reason => {
        if (!releaseRuntime) return;
        releaseRuntime();
        releaseRuntime = null;
        performance.mark('tracker:webassembly-released', { detail: reason });
    };
    window.addEventListener('tracker:chart-drawn', () => { if (chartsInViewAreLive()) release('charts drawn'); });
    if (window.Blazor && typeof window.Blazor.addEventListener === 'function') {
        window.Blazor.addEventListener('enhancednavigationstart', () => release('navigation'));
    }
    runtimeFallback = () => setTimeout(() => release('timeout'), 3000);
    setTimeout(() => release('no circuit'), 15000);
    options.webAssembly = options.webAssembly || {};
    const custom = options.webAssembly.loadBootResource;
    options.webAssembly.loadBootResource = (type, name, defaultUri, integrity, behavior) => {
        const result = custom ? custom(type, name, defaultUri, integrity, behavior) : undefined;
        if (result || type !== 'dotnetwasm' || !releaseRuntime) return result;
        // The runtime's own fetch of this file, after the release (cache: 'no-cache' and the file's integrity hash).
        return released.then(() => fetch(defaultUri, { cache: 'no-cache', integrity: integrity || undefined }));
    };
}

/** Once the page's circuit is up: starts plotly.js's evaluation (see afterWebStarted), and the runtime's release timer. */
export function afterServerStarted() {
    startPlotly();
    if (runtimeFallback) runtimeFallback();
    runtimeFallback = null;
}

// Blazor's own test (WebRootComponentManager): it picks WebAssembly for an Auto component when the runtime's resource
// hash is in localStorage under `blazor-resource-hash:<main assembly>`. Any such key counts here: an outdated one makes
// Blazor pick the circuit and load the runtime at once, as it would without this.
function runtimeLikelyCached() {
    try {
        for (let i = 0; i < localStorage.length; i++) {
            if ((localStorage.key(i) || '').startsWith('blazor-resource-hash:')) return true;
        }
        return false;
    } catch {
        return true; // storage refused: Blazor's check fails the same way; do not hold anything back
    }
}

function chartsInViewAreLive() {
    for (const sketch of document.querySelectorAll('.sketch')) {
        if (sketch.style.visibility === 'hidden') continue;
        const box = sketch.getBoundingClientRect();
        if (box.bottom > 0 && box.top < innerHeight) return false;
    }
    return true;
}

/** Marks when the WebAssembly runtime's start begins (User Timing: DevTools' performance panel and the benchmarks show it). */
export function beforeWebAssemblyStart() {
    performance.mark('tracker:webassembly-start');
}

/**
 * Starts evaluating plotly.js on a chart page loaded in full, as soon as Blazor has started, or, on a first visit whose
 * page is interactive over a server circuit, once that circuit has started (`afterServerStarted`).
 *
 * The page preloads the script (`<link rel="preload" data-plotly>`, App.razor) but does not run it: as a deferred script
 * its ~0.4 s of evaluation would hold `DOMContentLoaded`, and so Blazor's start. Started here, it overlaps the page's
 * WebAssembly runtime downloading. On a first visit Blazor opens the circuit only once it has read the runtime's boot
 * configuration, which plotly.js's evaluation (0.7-1.3 s on a 2-core machine) held back; evaluated after the circuit has
 * started, it overlaps the circuit's first render and the charts' history requests instead (measured: the boot
 * configuration read at 0.6-1.3 s instead of 1.5-2.4 s, docs/dashboard.md). The script is marked `data-plotly="loading"`,
 * then "loaded" or "failed"; charts.js waits for it while it loads.
 */
export function afterWebStarted() {
    if (!releaseRuntime) startPlotly();
}

function startPlotly() {
    const preload = document.querySelector('link[data-plotly]');
    if (!preload || window.Plotly || document.querySelector('script[data-plotly]')) return;
    const script = document.createElement('script');
    script.src = preload.href;
    script.async = true;
    script.dataset.plotly = 'loading';
    script.addEventListener('load', () => { script.dataset.plotly = 'loaded'; });
    script.addEventListener('error', () => { script.dataset.plotly = 'failed'; });
    document.head.appendChild(script);
}

/**
 * Paints a page that an enhanced navigation brought before its WebAssembly components start.
 *
 * After an in-app (enhanced) navigation, Blazor puts the server's HTML into the document and then, in a microtask of the
 * same task, starts the new page's WebAssembly components. On the run page that start is one main-thread task of about
 * 200 ms (interpreted .NET), and the browser cannot paint until it ends, so the server-drawn chart sketches, already in
 * the document, stay invisible meanwhile. Queuing the start until just after the next frame lets the browser paint the
 * new document first; the start then runs as before, in order. (A hidden tab gets no frames: a 100 ms timer stands in.)
 *
 * This wraps `Blazor._internal.updateRootComponents`, which is not a public API (aspnetcore's Web.JS calls it from
 * `WebRootComponentManager.updateWebAssemblyRootComponents`); where it is missing, nothing changes. The first page
 * load's components start through another path and are not delayed.
 */
export function afterWebAssemblyStarted(blazor) {
    performance.mark('tracker:webassembly-started'); // the runtime is up; the app's Main runs next
    const internal = blazor && blazor._internal;
    const update = internal && internal.updateRootComponents;
    if (typeof update !== 'function') return;
    const queue = [];
    let scheduled = false;
    const drain = () => {
        scheduled = false;
        while (queue.length > 0) {
            const [operations, state] = queue.shift();
            update.call(internal, operations, state);
        }
    };
    internal.updateRootComponents = (operations, state) => {
        queue.push([operations, state]);
        if (scheduled) return;
        scheduled = true;
        let ran = false;
        const once = () => { if (!ran) { ran = true; drain(); } };
        requestAnimationFrame(() => setTimeout(once, 0));
        setTimeout(once, 100);
    };
}
