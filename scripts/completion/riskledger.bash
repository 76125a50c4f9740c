# bash completion for riskledger. Installed by `cmake --install` as
# share/bash-completion/completions/riskledger; or: source this file.
_riskledger() {
  local cur prev cmd i
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -*) ;;
      *) cmd=${COMP_WORDS[i]}; break ;;
    esac
  done

  local input="-r --rules --encoding --as-of -q --quiet -h --help"
  case $prev in
    -r | --rules)
      COMPREPLY=($(compgen -W "default matrix" -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur"))
      return ;;
    --encoding) COMPREPLY=($(compgen -W "utf-8 gb18030 gbk" -- "$cur")); return ;;
    --lang) COMPREPLY=($(compgen -W "en zh" -- "$cur")); return ;;
    --format)
      local formats="csv json jsonl md yaml xlsx html"
      [ "$cmd" = score ] && formats="csv jsonl"
      # Comma-separated: complete the part after the last comma.
      local head=${cur%,*} part=${cur##*,}
      if [ "$head" = "$cur" ]; then head=""; else head="$head,"; fi
      COMPREPLY=($(compgen -P "$head" -W "$formats" -- "$part"))
      return ;;
    --out-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    -o | --output | --rejects) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --as-of | --columns | --threads | -n | --count | -s | --seed | --bad-rate) return ;;
    --samples | --spread | --top | --decimals | --blend) return ;;
    --method) COMPREPLY=($(compgen -W "eigenvector geometric-mean" -- "$cur")); return ;;
    --ri) COMPREPLY=($(compgen -W "saaty alonso-lamata" -- "$cur")); return ;;
    --base) COMPREPLY=($(compgen -W "default" -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur")); return ;;
  esac

  local opts
  case $cmd in
    "") COMPREPLY=($(compgen -W "validate score grade explain rules synth report weights sensitivity --help --version" -- "$cur"))
      return ;;
    validate) opts="$input --no-progress" ;;
    score) opts="$input --format --columns --with-sort-key --lang --threads --no-progress" ;;
    grade) opts="$input --out-dir -o --output --rejects --format --columns --lang --bom --threads --strict --no-fsync --no-progress" ;;
    explain) opts="$input --json" ;;
    rules) opts="check -h --help" ;;
    synth) opts="-n --count -s --seed -r --rules -o --output --bad-rate -q --quiet -h --help" ;;
    report) opts="-o --output -r --rules --lang --as-of -q --quiet -h --help" ;;
    weights) opts="ahp entropy critic --base -o --output --decimals --method --ri --allow-inconsistent --blend --encoding -q --quiet -h --help" ;;
    sensitivity) opts="-r --rules --encoding --samples --spread --seed --top -o --output --threads -q --quiet -h --help" ;;
    *) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [ "$cmd" = rules ]; then
    COMPREPLY=($(compgen -W "check" -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur"))
  elif [ "$cmd" = weights ]; then
    COMPREPLY=($(compgen -W "ahp entropy critic" -- "$cur") $(compgen -f -- "$cur"))
  elif [ "$cmd" != synth ]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _riskledger riskledger
