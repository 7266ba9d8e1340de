#!/usr/bin/env bash
# Runs teikit on each hostile input of issue 10 (items 14-21), built in target/hostile/, and
# prints wall seconds, peak resident memory (/usr/bin/time), the exit status and the codes
# of the diagnostics; a case fails when it takes more than 10 s or 500 MB, panics (status
# 101), dies on a signal, or prints the first line of /etc/passwd.
#
#   scripts/bench-hostile.sh            (TEIKIT_SHARED, default ../shared, for tei_all.rng)
set -uo pipefail
cd "$(dirname "$0")/.."

SHARED="${TEIKIT_SHARED:-$(cd .. && pwd)/shared}"
TEI_ALL="$SHARED/schemas/tei_all.rng"
[ -f "$TEI_ALL" ] || { echo "$TEI_ALL not found (set TEIKIT_SHARED)" >&2; exit 2; }
cargo build --release --bin teikit >&2 || exit 2
T="$(pwd)/target/release/teikit"
W="$(pwd)/target/hostile"
rm -rf "$W"
mkdir -p "$W"

python3 - "$W" <<'PY'
import sys, os
w = sys.argv[1]
def put(name, data):
    with open(os.path.join(w, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
HEAD = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>'
def tei(profile="", body="<p/>"):
    p = f"<profileDesc>{profile}</profileDesc>" if profile else ""
    return f"{HEAD}{p}</teiHeader><text><body>{body}</body></text></TEI>\n"
put("14-xmlencoding.xml", b'<?xmlencoding=""?>')
put("15-deep-10001.xml", "<a>" * 10001)
put("15-deep-mismatched.xml", "<a>" * 10001 + "</b>")
# a 650 KB letter whose mutation nests 50,000 elements
filler = "".join(f"<p>Paragraph {i} of the letter, with <hi>some</hi> words.</p>\n" for i in range(9000))
put("16-nested-50000.xml", tei(body=filler + "<p>" + "<hi>" * 50000 + "x" + "</hi>" * 50000 + "</p>"))
put("16-correspdesc-16000.xml", tei(profile="<correspDesc>" * 16000 + "</correspDesc>" * 16000))
put("16-unclosed-1000000.xml", "<a>" * 1000000)
cds = "".join(
    f'<correspDesc xml:id="cd{i}"><correspAction type="sent"><persName>A{i}</persName><date when="1890-01-{i % 28 + 1:02}"/></correspAction><correspAction type="received"><persName>B</persName></correspAction>'
    + (f'<correspContext><ref type="prev" target="#cd{i-1}"/></correspContext>' if i else "")
    + "</correspDesc>\n" for i in range(100000))
put("17-correspdesc-100000.xml", tei(profile=cds))
put("17-attributes-100000.xml", tei(body="<p" + "".join(f' a{i}="v"' for i in range(100000)) + ">x</p>"))
body = "".join(f'<p xml:id="person{i:05}">x</p>\n' for i in range(20000)) + "".join(
    f'<p><persName ref="#persno{i:05}">y</persName></p>\n' for i in range(20000))
put("17-dangling-20000.xml", tei(body=body))
put("18-xml-model-passwd.xml", '<?xml-model href="/etc/passwd" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + tei())
put("18-xml-model-dotdot.xml", '<?xml-model href="../../../../../../../../etc/passwd" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + tei())
RNG = 'xmlns="http://relaxng.org/ns/structure/1.0"'
put("19-nested-4000.rng", f"<grammar {RNG}><start>" + "<group>" * 4000 + "<empty/>" + "</group>" * 4000 + "</start></grammar>")
put("19-choice-40000.rng", f"<grammar {RNG}><start><choice>" + "".join(f'<element name="e{i}"><empty/></element>' for i in range(40000)) + "</choice></start></grammar>")
put("19-defines-40000.rng", f"<grammar {RNG}><start><ref name=\"d0\"/></start>" + "".join(f'<define name="d{i}"><ref name="d{i+1}"/></define>' for i in range(40000)) + f'<define name="d40000"><element name="r"><empty/></element></define></grammar>')
put("19-include-dev-zero.rng", f'<grammar {RNG}><include href="/dev/zero"/><start><element name="r"><empty/></element></start></grammar>')
put("20-noncharacters.txt", "Vienna, 3 March 1890\n\nDear Sir,\n\nThe \ufffe parcel \uffff arrived\x0c today.\n\nYours truly,\nA. Writer\n")
put("21-five-bytes.xml", b"<a\x01/>")
put("21-control-in-name.xml", b"<TEI>\n<\x01/></TEI>")
put("doc.xml", tei())
PY
mkfifo "$W/19-fifo.rng" 2>/dev/null || true

FAIL=0
printf '| %-44s | %6s | %7s | %4s | %s\n' "case" "s" "MB" "exit" "diagnostics (codes) / output checks"
printf '|---|---:|---:|---:|---|\n'
run() { # label, output check (codes|junit|xml|none), command...
  local label="$1" check="$2"; shift 2
  local out="$W/out.txt" tm="$W/time.txt"
  timeout -k 5 60 /usr/bin/time -f '%e %M' -o "$tm" "$@" >"$out" 2>"$W/err.txt" </dev/null
  local status=$?
  local secs kb
  read -r secs kb < <(tail -1 "$tm")
  local mb=$(( ${kb:-0} / 1024 ))
  local what
  case "$check" in
    codes) what=$(python3 -c 'import json,sys,collections
try:
    d=json.load(open(sys.argv[1]))
except Exception as e:
    print("no JSON:", e); sys.exit()
c=collections.Counter(x["code"] for f in d["files"] for x in f["diagnostics"])
print(", ".join(f"{n}x {k}" for k,n in c.most_common(4)) or "no diagnostics")' "$out") ;;
    junit) if xmllint --noout "$out" 2>/dev/null; then what="JUnit well-formed (xmllint)"; else what="JUnit NOT well-formed"; FAIL=1; fi ;;
    xml) if xmllint --noout "$out" 2>/dev/null; then what="TEI well-formed (xmllint); $(grep -c 'forbidden_character' "$W/err.txt") forbidden-character warnings"; else what="TEI NOT well-formed"; FAIL=1; fi ;;
    *) what="$(head -c 100 "$out" | tr '\n' ' ')" ;;
  esac
  if grep -q 'root:x:0' "$out" "$W/err.txt"; then what="$what; PRINTS /etc/passwd"; FAIL=1; fi
  if [ "$status" -ge 101 ] || awk -v s="${secs:-99}" 'BEGIN{exit !(s > 10)}' || [ "$mb" -gt 500 ]; then
    what="$what  <-- FAILS"; FAIL=1
  fi
  printf '| %-44s | %6s | %7s | %4s | %s\n' "$label" "${secs:--}" "$mb" "$status" "$what"
}
for f in 14-xmlencoding.xml 15-deep-10001.xml 15-deep-mismatched.xml 16-nested-50000.xml \
         16-correspdesc-16000.xml 16-unclosed-1000000.xml 17-correspdesc-100000.xml \
         17-attributes-100000.xml 17-dangling-20000.xml 18-xml-model-passwd.xml \
         18-xml-model-dotdot.xml 21-five-bytes.xml; do
  for schema in none tei_all; do
    s=none; [ "$schema" = tei_all ] && s="$TEI_ALL"
    case "$f" in 18-*) [ "$schema" = tei_all ] && continue; s_args=() ;; *) s_args=(--schema "$s") ;; esac
    run "$f ($schema, json)" codes "$T" validate "${s_args[@]}" --format json "$W/$f"
    run "$f ($schema, human)" none "$T" validate "${s_args[@]}" --format human "$W/$f"
  done
done
run "21-control-in-name.xml (junit)" junit "$T" validate --schema none --format junit "$W/21-control-in-name.xml"
run "21-five-bytes.xml (junit)" junit "$T" validate --schema none --format junit "$W/21-five-bytes.xml"
run "17 export cmif (100,000 correspDesc)" none "$T" export cmif "$W/17-correspdesc-100000.xml" -o "$W/cmif.xml" --title t --editor e --publisher p --url https://example.org/c.xml
run "17 export index (100,000 correspDesc)" none "$T" export index "$W/17-correspdesc-100000.xml"
for r in 19-nested-4000.rng 19-choice-40000.rng 19-defines-40000.rng 19-include-dev-zero.rng 19-fifo.rng /dev/zero; do
  p="$r"; [ "${r#/}" = "$r" ] && p="$W/$r"
  run "$(basename "$r") as --schema (json)" codes "$T" validate --schema "$p" --format json "$W/doc.xml"
done
run "20-noncharacters.txt (encode)" xml "$T" encode "$W/20-noncharacters.txt"
echo
if [ "$FAIL" = 0 ]; then echo "all cases within 10 s and 500 MB, none prints /etc/passwd"; else echo "SOME CASES FAIL"; fi
exit "$FAIL"
