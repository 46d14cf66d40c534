#!/usr/bin/env python3
"""The README's method table from `reproduce --json` reports.

usage: bench/methods.py NAME=report.json [NAME=report.json ...]

One row per report: OODT and IDT (mean [95 % interval] over pretraining seeds) and the best
fine-tuning cell at k = 2 and k = 4 (mean [95 % interval] over draws, unseen speakers), each
beside the logistic regression on the same rows, with the paired difference's Wilcoxon p.
"""
import json
import sys


def pct(x):
    return f"{100 * x:.1f}"


def interval(ci):
    return f" [{pct(ci[0])}, {pct(ci[1])}]" if ci else ""


def p(test):
    if not test or test.get("p_value") is None:
        return ""
    v = test["p_value"]
    return f"p {'< 0.001' if v < 0.001 else f'= {v:.3f}'}"


def best_cell(report, k):
    cells = [c for c in report["grid"] if c["speakers"] == k]
    if not cells:
        return None
    return max(cells, key=lambda c: c["uar_mean"])


def main(args):
    print("| run | method | OODT | LR | IDT | LR | fine-tuning k = 2, best cell | LR | fine-tuning k = 4, best cell | LR |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for arg in args:
        name, path = arg.split("=", 1)
        r = json.load(open(path))
        t, ci, vs = r["table1"], r["table1_ci"], r["table1_vs_baseline"]
        lr = r["baselines"]["logistic_regression"]
        row = [name, r["settings"].get("method", "paper")]
        row += [f"{pct(t['oodt'])}{interval(ci['oodt'])}", f"{pct(lr['oodt'])} ({p(vs.get('oodt'))})"]
        row += [f"{pct(t['idt'])}{interval(ci['idt'])}", f"{pct(lr['idt'])} ({p(vs.get('idt'))})"]
        for k in (2, 4):
            c = best_cell(r, k)
            if c is None:
                row += ["—", "—"]
                continue
            what = f"{c['frozen']} frozen{', distance loss' if c['distance_loss'] else ''}"
            row.append(f"{pct(c['uar_mean'])}{interval(c['uar_ci'])} ({what})")
            base = c.get("baseline_uar_mean")
            row.append(f"{pct(base)} ({p(c.get('vs_baseline'))})" if base is not None else "—")
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
