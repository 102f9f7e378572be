#!/bin/bash
# `oc` on a cluster that is not OpenShift: kubectl, but for what kubectl does not do as oc does.
#  - `oc project NAME` switches the kubeconfig's namespace (kubectl config set-context --current --namespace=NAME).
#  - `oc rollout status dc/NAME` follows a DeploymentConfig (apps.openshift.io/v1) to the end of its latest rollout.
#    kubectl's rollout decodes only its built-in kinds (a custom resource gets « no kind is registered »,
#    kubernetes/kubernetes#94332), so this reads the config's status as OpenShift's oc does (its DeploymentConfig status
#    viewer): the same lines, the same end, the same exit status. Flags: -w/--watch[=false], --revision=N, and kubectl's -n/--namespace,
#    --as, --context, --kubeconfig and --cache-dir.
# Everything else is kubectl's, as typed. KUBECTL is kubectl's path (written in when this file is installed).
set -uo pipefail
KUBECTL=${KUBECTL:-kubectl}

# kubectl's flags typed before the verb (oc -n NS rollout status …), kept for kubectl
lead=()
while [ $# -gt 0 ]; do
  case $1 in
    -n | --namespace | --as | --context | --kubeconfig | --cache-dir) lead+=("$1" "${2:-}"); shift 2 || shift ;;
    -*) lead+=("$1"); shift ;;
    *) break ;;
  esac
done

if [ "${1:-}" = project ] && [ $# -ge 2 ]; then
  exec "$KUBECTL" "${lead[@]}" config set-context --current --namespace="$2"
fi

# one line of the config's status, as the viewer reads it: its message, and done (0), waiting (1) or failed (2)
dc_status() { # name generation observed latest triggers desired replicas updated available reason message
  local name=$1 gen=${2:-0} obs=${3:-0} latest=${4:-0} triggers=$5 desired=${6:-0} replicas=${7:-0} updated=${8:-0}
  local available=${9:-0} reason=${10} message=${11}
  if [ "$latest" = 0 ]; then
    case " $triggers " in
      *" ImageChange "*) echo "Deployment config \"$name\" waiting on image update"; return 1 ;;
      "  ") echo "Deployment config \"$name\" waiting on manual update (use 'oc rollout latest $name')"; return 2 ;;
    esac
  fi
  if [ "$gen" -le "$obs" ]; then
    case $reason in
      NewReplicationControllerAvailable) echo "$message"; return 0 ;;
      ProgressDeadlineExceeded | RolloutCancelled) echo "$message"; return 2 ;;
      DeploymentConfigPaused) echo "Deployment config \"$name\" is paused. Resume to continue watching the status of the rollout."; return 2 ;;
    esac
    if [ "$updated" -lt "$desired" ]; then
      echo "Waiting for rollout to finish: $updated out of $desired new replicas have been updated..."; return 1
    elif [ "$replicas" -gt "$updated" ]; then
      echo "Waiting for rollout to finish: $((replicas - updated)) old replicas are pending termination..."; return 1
    elif [ "$available" -lt "$updated" ]; then
      echo "Waiting for rollout to finish: $available of $updated updated replicas are available..."; return 1
    fi
  fi
  echo "Waiting for latest deployment config spec to be observed by the controller loop..."
  return 1
}

rollout_status_dc() { # name watch revision kubectl-flags...
  local name=$1 watch=$2 revision=$3 line fields rc message
  shift 3
  local jp='{.metadata.generation}|{.status.observedGeneration}|{.status.latestVersion}|{.spec.triggers[*].type}|'
  jp+='{.spec.replicas}|{.status.replicas}|{.status.updatedReplicas}|{.status.availableReplicas}|'
  jp+='{.status.conditions[?(@.type=="Progressing")].reason}|{.status.conditions[?(@.type=="Progressing")].message}{"\n"}'
  local get=("$KUBECTL" "$@" get "deploymentconfigs.apps.openshift.io/$name" -o "jsonpath=$jp")
  [ "$watch" = true ] && get+=(--watch)
  coproc STATUS { "${get[@]}" 2>&1; }
  local pid=$STATUS_PID
  while IFS= read -r line <&"${STATUS[0]}"; do
    if ! [[ $line =~ ^[0-9]*\|[0-9]*\|[0-9]*\| ]]; then # not a status line: kubectl's own error
      echo "$line" >&2; continue
    fi
    IFS='|' read -r -a fields <<<"$line|" # the last |: read keeps a last field that is empty
    if [ "$revision" != 0 ] && [ "${fields[2]:-0}" != "$revision" ]; then
      echo "error: desired revision ($revision) is different from the running revision (${fields[2]:-0})" >&2
      kill "$pid" 2>/dev/null; return 1
    fi
    message=$(dc_status "$name" "${fields[@]}")
    rc=$?
    if [ $rc = 2 ]; then # as oc: the reason's message, as an error
      echo "error: $message" >&2
    else
      echo "$message"
    fi
    if [ $rc = 0 ] || [ $rc = 2 ] || [ "$watch" != true ]; then
      kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
      [ $rc = 2 ] && return 1
      return 0
    fi
  done
  wait "$pid"
  return 1
}

if [ "${1:-}" = rollout ] && [ "${2:-}" = status ]; then
  args=("${@:3}") target="" watch=true revision=0 flags=("${lead[@]}")
  for ((i = 0; i < ${#args[@]}; i++)); do
    a=${args[i]}
    case $a in
      -w | --watch | --watch=true) watch=true ;;
      --watch=false | -w=false) watch=false ;;
      --revision=*) revision=${a#--revision=} ;;
      --revision) revision=${args[i + 1]:-0}; ((i++)) ;;
      -n | --namespace | --as | --context | --kubeconfig | --cache-dir) flags+=("$a" "${args[i + 1]:-}"); ((i++)) ;;
      -n=* | --namespace=* | --as=* | --context=* | --kubeconfig=* | --cache-dir=*) flags+=("$a") ;;
      -*) target="-" ;; # a flag this shim does not read: kubectl's answer, below
      *) if [ -z "$target" ]; then target=$a; elif [ "$target" = dc ] || [ "$target" = deploymentconfig ] || [ "$target" = deploymentconfigs ]; then target=dc/$a; fi ;;
    esac
  done
  case $target in
    dc/* | deploymentconfig/* | deploymentconfigs/* | deploymentconfig.apps.openshift.io/* | deploymentconfigs.apps.openshift.io/*)
      rollout_status_dc "${target#*/}" "$watch" "$revision" "${flags[@]}"
      exit $? ;;
  esac
fi
exec "$KUBECTL" "${lead[@]}" "$@"
