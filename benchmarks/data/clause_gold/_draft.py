# draft: the gold text with a § at the start of every non-blank line (marking rule 2); the
# in-line starts and the exceptions are then edited by hand
import glob
import bri_text as bt
out = "benchmarks/data/clause_gold/"
c = bt.load_bri_policies()
w = bt.load_work_reports(kind="all")
docs = {f"bri{n}": c[f"bri{n}"].text for n in ("04", "06", "12", "21", "23")}
docs["bri25_oneline"] = c["bri25"].text.replace("\n", "")
docs["res2024"] = w["res2024"].text
docs["wr2009_part"] = "\n".join(w["wr2009"].text.split("\n")[:40])
for p in ("002", "003"):
    docs[f"press{p}"] = bt.read_files(glob.glob(f"../shared/seeds/{p}_*.txt")).texts[0]
for name, t in docs.items():
    assert "§" not in t
    lines = t.split("\n")
    with open(out + name + ".txt", "w", encoding="utf-8") as f:
        f.write("\n".join("§" + l if l.strip() else l for l in lines) + "\n")
