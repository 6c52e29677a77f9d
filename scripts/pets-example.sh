#!/usr/bin/env bash
# Makes a non-bear training task out of the bundled photos, as symbolic links (nothing is copied):
#   OUT/pets/cat     Kaggle cats and ImageNet's domestic-cat classes (281-285: tabby ... Egyptian cat)
#   OUT/pets/dog     Kaggle dogs and ImageNet's dog breeds (151-268: Chihuahua ... Mexican hairless)
#   OUT/not-pets     every other negative: ImageNet classes that are neither
#   OUT/bears        a link to the bears: not pets either (a folder of their own: --max-per-folder takes the first N of each)
# The negatives folder names each photo by source and ImageNet WordNet id (imagenet_n02123045_tabby.jpg); ImageNet's
# classes are in WordNet-id order, so a class range is a range of ids.
# Usage: scripts/pets-example.sh [DATA_DIR (default ../shared/data)] [OUT_DIR (default .artifacts/pets-example)]
set -euo pipefail

data=$(realpath "${1:-../shared/data}")
out=${2:-.artifacts/pets-example}
for folder in "$data/negatives" "$data/bears"; do
  [[ -d $folder ]] || { echo "error: $folder does not exist: give the folder holding negatives/ and bears/ as the first argument" >&2; exit 2; }
done

rm -rf "$out"
mkdir -p "$out/pets/cat" "$out/pets/dog" "$out/not-pets"
# One ln per folder, not per photo: thousands of processes take half a minute on a busy machine.
cats=() dogs=() others=()
for photo in "$data"/negatives/*; do
  name=${photo##*/}
  case $name in
    kagglecats_*) cats+=("$photo") ;;
    kaggledogs_*) dogs+=("$photo") ;;
    imagenet_n*)
      wnid=${name:9:9}
      if [[ ! $wnid < n02085620 && ! $wnid > n02113978 ]]; then dogs+=("$photo")
      elif [[ ! $wnid < n02123045 && ! $wnid > n02124075 ]]; then cats+=("$photo")
      else others+=("$photo"); fi ;;
    *) others+=("$photo") ;;
  esac
done
ln -s "${cats[@]}" "$out/pets/cat/"
ln -s "${dogs[@]}" "$out/pets/dog/"
ln -s "${others[@]}" "$out/not-pets/"
ln -s "$data/bears" "$out/bears"
echo "$out: ${#cats[@]} cats, ${#dogs[@]} dogs, ${#others[@]} other negatives, $(find -L "$out/bears" -type f | wc -l) bears" >&2
