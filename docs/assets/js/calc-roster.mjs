// Roster page: a file chosen or text pasted -> the column step -> Python -> summary, breakdown, chart,
// every row (sortable, filterable, paged) and a download with every input column plus the results.
// Everything stays on the device: the file's bytes go to the Python worker's in-memory file system,
// the download is a Blob made here. Only the choice of columns (header names) goes into the address.
// Its parts: roster-columns.mjs (the column step), roster-rows.mjs (the rows), roster-summary.mjs
// (summary, breakdown, chart); this file reads the file, asks Python and puts them on the page.
import { calculate, clearErrors, el, keepInAddress, num, plural, printButton, printSummary, showError, showResult, whyList } from "./calc-common.mjs";
import { ROLES, columnsFromAddress, columnStep } from "./roster-columns.mjs";
import { PAGE_SIZE, rowsSection } from "./roster-rows.mjs";
import { breakdownSection, summary } from "./roster-summary.mjs";

const PROGRESS_AFTER_MS = 400;

// --- Download: written by Python (every input column, then the results), saved from here ----------

function downloadButton(kind, label, ask) {
  const button = el("button", { type: "button", class: "md-button calc-download", "data-download": kind }, label);
  const note = el("span", { class: "calc-download-note", role: "status" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    note.textContent = "Preparing the file…";
    const response = await ask(kind);
    button.disabled = false;
    if (!response.ok || !response.file) {
      note.textContent = response.ok ? "The file could not be made." : response.error.message;
      return;
    }
    note.textContent = "";
    const info = response.result.download;
    const url = URL.createObjectURL(new Blob([response.file], { type: info.type }));
    const link = el("a", { href: url, download: info.name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  return [button, note];
}

// --- The page ----------------------------------------------------------------------------------------

// For scripts/bench_browser.py and any real-user timing: when each phase of a roster ended.
function mark(name) {
  performance.mark(`roster:${name}`);
}

export function init(root) {
  const form = root.querySelector("form");
  const region = root.querySelector("[data-calc-result]");
  const details = root.querySelector("[data-calc-details]");
  // The column step stays above the result, so choosing again is one change and one click away.
  const stepHolder = root.querySelector("[data-calc-step]");
  const file = form.elements.namedItem("file");
  const pasted = form.elements.namedItem("csv");
  let source = null; // {field, name, bytes?, csv?, needs?}
  let run = 0;

  function progressBar() {
    const bar = el("progress", { max: "1", value: "0", "aria-labelledby": "roster-progress-label" });
    const label = el("span", { id: "roster-progress-label" }, "Calculating…");
    const holder = el("p", { class: "calc-progress", hidden: true }, label, " ", bar);
    const timer = setTimeout(() => (holder.hidden = false), PROGRESS_AFTER_MS);
    return {
      node: holder,
      update(fraction, step) {
        bar.value = fraction;
        label.textContent = `Calculating… ${Math.round(fraction * 100)}%`;
        if (step) mark(`python-${step}`);
      },
      done: () => clearTimeout(timer),
    };
  }

  const stopped = () => ({
    ok: false,
    error: { message: "The calculator stopped before it could finish this file. Nothing was sent anywhere. Reload the page and try again; if it stops again, save the file as CSV and choose it again." },
  });

  // A rejected request (the worker failed, or a bug in the calculators) is answered like bad input,
  // so every step shows a message instead of waiting forever; no traceback reaches the page.
  async function ask(input, onProgress) {
    const opts = { onProgress };
    // The file is read again for each question and its bytes handed over (not copied): the page
    // holds no copy of a district file while Python works on it.
    if (source.file) {
      try {
        opts.file = { bytes: source.first ?? (await source.file.arrayBuffer()), needs: source.needs };
      } catch {
        return { ok: false, error: { field: "file", message: "The file can no longer be read (it was moved or changed): choose it again." } };
      }
    }
    source.first = null;
    mark("sent");
    return calculate("roster", source.file ? { ...input, name: source.name } : { ...input, csv: source.csv }, opts).catch(stopped);
  }

  // Questions to the roster Python keeps (a page, a sort, a breakdown, the download).
  function askView(view, opts = {}) {
    return calculate("roster", { view }, opts).catch(stopped);
  }

  let downloads = 0;
  function askDownload(kind) {
    const path = `/tmp/results-${++downloads}.${kind}`;
    return askView({ download: kind, path }, { collect: path, needs: kind === "xlsx" ? "xlsx" : null });
  }

  function failed(error) {
    showResult(region);
    details.replaceChildren();
    stepHolder.replaceChildren();
    // A problem with the whole file belongs next to the field it came from.
    showError(form, { ...error, field: source.field });
  }

  // The last file's step and result go at once, before the new file is read: confirming the old
  // step while the new file loads would compute the old columns for the new file.
  function clearLast() {
    clearErrors(form);
    details.replaceChildren();
    stepHolder.replaceChildren();
    region.replaceChildren(el("p", {}, "Reading the file…"));
  }

  async function start() {
    const mine = ++run;
    clearLast();
    // One question: the result when Python recognises every column, else the column step.
    let response = await computeWith({ step: "auto", columns: columnsFromAddress() }, null, mine);
    if (mine !== run || !response) return;
    if (!response.ok && response.error.field === "columns") {
      // The columns in the address are from another export: guess again for this file.
      response = await computeWith({ step: "auto" }, null, mine);
      if (mine !== run || !response) return;
    }
    if (!response.ok) return failed(response.error);
    if (response.result.step === "columns") showStep(response.result, mine);
  }

  function showStep(step, mine, computed = false) {
    const stepForm = columnStep(step, (chosen, message) => computeWith({ columns: chosen }, message, mine), computed);
    stepHolder.replaceChildren(stepForm);
    if (!computed) {
      showResult(region);
      details.replaceChildren();
      stepForm.querySelector("h2").focus();
    }
  }

  // Compute (or, with step "auto", maybe only read the columns) and show the result; returns the
  // answer when it is not a result, for the caller to handle.
  async function computeWith(input, message, mine) {
    if (message) message.hidden = true;
    const bar = progressBar();
    // The bar sits outside the live region, so its changing figure is not read out again and again.
    if (message) region.replaceChildren(el("p", {}, "Calculating…"));
    details.replaceChildren(bar.node);
    const response = await ask({ ...input, view: { page_size: PAGE_SIZE } }, (f, step) => bar.update(f, step));
    mark("answered");
    bar.done();
    bar.node.remove();
    if (mine !== run) return null;
    if (!response.ok) {
      if (!message) return response;
      showResult(region);
      message.textContent = response.error.message;
      message.hidden = false;
      message.focus();
      return null;
    }
    const result = response.result;
    if (result.step === "columns") return response;
    // Only header names go into the address: a reload or a bookmark keeps the choice of columns.
    keepInAddress(Object.fromEntries(ROLES.map((role) => [role, result.columns[role] ?? ""])));
    if (result.column_step) showStep(result.column_step, mine, true);
    // The live region announces the summary only; the tables follow outside it.
    showResult(
      region,
      printSummary(root, [["Roster", source.name], ["Students", num(result.summary.students)]]),
      el("h2", { id: "result", tabindex: "-1" }, "Result"),
      summary(result),
    );
    mark("summary-shown");
    details.replaceChildren(
      el("p", { class: "calc-actions calc-no-print" }, downloadButton("csv", "Download the results (CSV)", askDownload), " ",
        downloadButton("xlsx", "Download the results (Excel)", askDownload), " ", printButton()),
      breakdownSection(result, askView),
      rowsSection(result, askView),
      whyList(result.reasons),
    );
    mark("shown");
    region.querySelector("#result").focus();
    return response;
  }

  async function chooseFile() {
    mark("chosen");
    const chosen = file.files[0];
    run++;
    clearLast();
    const bytes = await chosen.arrayBuffer();
    mark("file-read");
    const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
    const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
    source = { field: "file", name: chosen.name, file: chosen, first: bytes, needs: zip || /\.xlsx$/i.test(chosen.name) ? "xlsx" : null };
    start();
  }

  file.addEventListener("change", () => {
    if (file.files.length) chooseFile();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (file.files.length) chooseFile();
    else {
      source = { field: "csv", name: "pasted text", csv: pasted.value };
      start();
    }
  });
  // The page invites choosing the file while it loads: a file chosen before this script ran is read
  // now. (Pressing the button before then does nothing: the form is method="dialog", so the browser
  // never sends a pasted roster to the server in the address.)
  if (file.files.length) chooseFile();
  return {};
}
