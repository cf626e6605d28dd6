#!/usr/bin/env bash
# Runs every tool on the same chip and positions and prints stamps/s and ratios.
# Inputs from the environment: WORK (generated data), SIZE, PSTAMP (release binary).
set -euo pipefail
cd "$WORK"
n=$(wc -l < positions_sky.txt)
declare -A rate
now() { date +%s.%N; }
rate_of() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", n / (b - a) }'; }
run_ours() {  # name, image, extra options
    local name=$1 image=$2; shift 2
    rm -rf "out_$name"; mkdir -p "out_$name"
    local t0 t1; t0=$(now)
    "$PSTAMP" cutout --image "$image" --positions positions_sky.txt --size "$SIZE" --outdir "out_$name" "$@" > /dev/null 2>&1
    t1=$(now)
    local count; count=$(find "out_$name" -name '*.fits' | wc -l)
    rate[$name]=$(rate_of "$count" "$t0" "$t1")
}
run_c() {  # name, image
    rm -rf "out_$1"; mkdir -p "out_$1"
    rate[$1]=$(./cutout_baseline "$2" positions_sky.txt "out_$1" "$SIZE" | sed -E 's/.*: ([0-9.]+) stamps\/s/\1/')
}
echo "cutout benchmark: $n stamps of ${SIZE}x${SIZE} from a 4846x4868 float32 chip; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in plain rice; do
    image=chip.fits; [ $kind = rice ] && image=chip_rice.fits
    sync
    run_c "c_$kind" $image
    run_ours "reopen1_$kind" $image --uncompressed --reopen --threads 1
    run_ours "reopen_$kind" $image --uncompressed --reopen
    run_ours "batch1_$kind" $image --uncompressed --threads 1
    run_ours "batch_$kind" $image --uncompressed
    run_ours "batchrice_$kind" $image
    if python3 -c 'import astropy' 2>/dev/null; then
        rm -rf "out_astropy_$kind"; mkdir -p "out_astropy_$kind"
        rate["astropy_$kind"]=$(python3 "$OLDPWD/bench_astropy.py" $image positions_sky.txt "out_astropy_$kind" "$SIZE" "${ASTROPY_STAMPS:-}" \
            | sed -E 's/.*: ([0-9.]+) stamps\/s/\1/')
    else
        rate["astropy_$kind"]=""
    fi
done
ratio() { [ -n "${2:-}" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }' || printf "n/a"; }
printf '\n%-58s %12s %12s\n' "stamps/s" "uncompressed" "RICE rows"
row() { printf '%-58s %12s %12s\n' "$1" "${rate[${2}_plain]:-n/a}" "${rate[${2}_rice]:-n/a}"; }
row "C baseline (cfitsio+wcslib, open per stamp)" c
row "astropy Cutout2D + writeto (open per stamp)" astropy
row "pstamp cutout --reopen --threads 1 (uncompressed out)" reopen1
row "pstamp cutout --reopen (2 threads, uncompressed out)" reopen
row "pstamp cutout batch --threads 1 (uncompressed out)" batch1
row "pstamp cutout batch (2 threads, uncompressed out)" batch
row "pstamp cutout batch (2 threads, RICE out as the IPP)" batchrice
printf '\n%-58s %12s %12s %s\n' "ratios" "uncompressed" "RICE rows" "goal"
rrow() { printf '%-58s %12s %12s %s\n' "$1" "$(ratio "${rate[${2}_plain]}" "${rate[${3}_plain]:-}")" "$(ratio "${rate[${2}_rice]}" "${rate[${3}_rice]:-}")" "$4"; }
rrow "open per stamp, 1 thread / C" reopen1 c ">= 1x"
rrow "open per stamp, 2 threads / C" reopen c ">= 1x"
rrow "batch / C" batch c ">= 3x"
rrow "batch / astropy" batch astropy ">= 20x plain, >= 5x RICE"
