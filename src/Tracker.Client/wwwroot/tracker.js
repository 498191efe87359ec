// Small browser helpers of the dashboard (imported as a JS module).
export function elementWidth(id) {
    const el = document.getElementById(id);
    return el ? Math.round(el.getBoundingClientRect().width) : 0;
}

// Saves a .NET stream as a file download (the CSV export needs the Bearer header, so a plain link cannot fetch it).
export async function download(name, streamRef) {
    const buffer = await streamRef.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
}

// Copies the text of the input `id` to the clipboard; selects it as well, so that Ctrl+C works where the clipboard
// is refused. Returns whether the clipboard took it.
export async function copyInput(id) {
    const el = document.getElementById(id);
    if (!el) return false;
    el.focus();
    el.select();
    try {
        await navigator.clipboard.writeText(el.value);
        return true;
    } catch {
        return false;
    }
}
