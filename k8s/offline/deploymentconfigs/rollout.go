package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"time"
)

// The names OpenShift gives a DeploymentConfig's ReplicationControllers and their pods (apps.openshift.io/v1), so that
// what a reader selects or reads on OpenShift selects and reads the same here.
const (
	labelConfig        = "openshift.io/deployment-config.name" // on each RC: the config it belongs to
	labelDeployment    = "deployment"                          // on each pod: its RC
	labelDeploymentCfg = "deploymentconfig"                    // on each pod: its config
	annConfig          = "openshift.io/deployment-config.name"
	annVersion         = "openshift.io/deployment-config.latest-version"
	annPhase           = "openshift.io/deployment.phase"
	annReplicas        = "openshift.io/deployment.replicas"
	annEncoded         = "openshift.io/deployment.encoded-deployment-config" // openshift.io/encoded-deployment-config on OpenShift
	annReason          = "openshift.io/deployment.status-reason"
	annDeploymentName  = "openshift.io/deployment.name"
	// when this controller scaled the RC up (RFC 3339): on OpenShift the deployer pod keeps that time in memory, and
	// its timeoutSeconds counts from it; a controller that holds no state writes it on the RC instead
	annScaledUp = "deploymentconfigs.pg-replication-harness.io/scaled-up"

	phaseNew      = "New"
	phaseRunning  = "Running"
	phaseComplete = "Complete"
	phaseFailed   = "Failed"

	reasonCreated   = "NewReplicationControllerCreated"
	reasonUpdated   = "ReplicationControllerUpdated"
	reasonAvailable = "NewReplicationControllerAvailable"
	reasonTimedOut  = "ProgressDeadlineExceeded"

	defaultTimeout = 600 * time.Second // a strategy's timeoutSeconds when it gives none
)

// config is what the controller reads of a DeploymentConfig.
type config struct {
	Namespace, Name, UID string
	Generation           int64
	Labels               map[string]string
	Replicas             int64
	Selector             map[string]string
	Template             map[string]any
	Strategy             string // Recreate or Rolling (the default)
	Timeout              time.Duration
	ConfigChange         bool // a ConfigChange trigger: a new template is a new rollout
	LatestVersion        int64
	Conditions           []any
	Status               map[string]any // as the API server holds it
}

// controller is what the controller reads of one of a config's ReplicationControllers.
type controller struct {
	Name                       string
	Version                    int64
	Phase                      string
	SpecReplicas               int64
	Replicas, Ready, Available int64
	Created                    time.Time
	ScaledUp                   time.Time      // zero until this controller scaled it up
	Template                   map[string]any // the config's template this RC was made from
}

// action is one change to make on the API server.
type action struct {
	Kind     string // "create" (an RC), "scale" (an RC's replicas), "phase" (an RC's phase)
	RC       string
	Replicas int64
	Up       time.Time // a scale that starts a rollout's wait for its pods: when (written as annScaledUp)
	Phase    string
	Reason   string
	Object   map[string]any // the RC to create
}

// decide is the whole controller for one config: given its ReplicationControllers, whether pods of an older one still
// exist, and the time, the changes to make and the config's status. It is what OpenShift's DeploymentConfig controller
// and its deployer pod do together, for the Recreate and Rolling strategies of a config with one template at a time.
func decide(c config, rcs []controller, olderPods int, now time.Time) ([]action, map[string]any) {
	sort.Slice(rcs, func(i, j int) bool { return rcs[i].Version < rcs[j].Version })
	var latest *controller
	for i := range rcs {
		if rcs[i].Version == c.LatestVersion {
			latest = &rcs[i]
		}
	}
	var acts []action
	details := map[string]any(nil)
	switch {
	case latest == nil && (c.LatestVersion == 0 && c.ConfigChange || c.LatestVersion > 0),
		latest != nil && c.ConfigChange && !reflect.DeepEqual(latest.Template, c.Template):
		version := c.LatestVersion + 1
		rc := newController(c, version)
		acts = append(acts, action{Kind: "create", RC: rcName(c.Name, version), Object: rc})
		for _, o := range rcs {
			if o.Phase == phaseNew || o.Phase == phaseRunning {
				acts = append(acts, action{Kind: "phase", RC: o.Name, Phase: phaseFailed, Reason: "newer deployment was found running"})
			}
		}
		details = map[string]any{"message": "config change", "causes": []any{map[string]any{"type": "ConfigChange"}}}
		status := statusOf(c, rcs, nil, version, reasonCreated, fmt.Sprintf("replication controller %q is waiting for its pods to be replaced", rcName(c.Name, version)), now)
		status["details"] = details
		return acts, status
	case latest == nil:
		return nil, statusOf(c, rcs, nil, c.LatestVersion, "", "", now)
	}
	reason, message := reasonUpdated, fmt.Sprintf("replication controller %q is progressing", latest.Name)
	switch latest.Phase {
	case phaseNew, phaseRunning, "":
		if latest.Phase != phaseRunning {
			acts = append(acts, action{Kind: "phase", RC: latest.Name, Phase: phaseRunning})
		}
		older := func(f func(o controller)) {
			for _, o := range rcs {
				if o.Version != latest.Version {
					f(o)
				}
			}
		}
		scaleUp := latest.SpecReplicas != c.Replicas
		if c.Strategy == "Recreate" {
			// every older pod gone before the new RC makes one; as OpenShift's deployer, an older pod that outlives
			// timeoutSeconds is waited for no longer (« New pods may be scaled up before old pods get terminated! »)
			older(func(o controller) {
				if o.SpecReplicas > 0 {
					acts = append(acts, action{Kind: "scale", RC: o.Name, Replicas: 0})
				}
			})
			scaleUp = scaleUp && (olderPods == 0 || now.Sub(latest.Created) > c.Timeout)
		}
		if scaleUp {
			acts = append(acts, action{Kind: "scale", RC: latest.Name, Replicas: c.Replicas, Up: now})
		}
		since := latest.ScaledUp
		if since.IsZero() && !scaleUp {
			since = latest.Created // scaled up before this controller wrote when
		}
		available := latest.SpecReplicas == c.Replicas && latest.Available >= c.Replicas
		if available && c.Strategy != "Recreate" {
			older(func(o controller) {
				if o.SpecReplicas > 0 {
					acts = append(acts, action{Kind: "scale", RC: o.Name, Replicas: 0})
				}
			})
		}
		switch {
		case available && (c.Strategy != "Recreate" || olderPods == 0):
			acts = append(acts, action{Kind: "phase", RC: latest.Name, Phase: phaseComplete})
			reason, message = reasonAvailable, fmt.Sprintf("replication controller %q successfully rolled out", latest.Name)
		case !since.IsZero() && now.Sub(since) > c.Timeout:
			// as OpenShift's deployer: timeoutSeconds for the new pods to be available counts from their scale-up,
			// not from the RC's creation (the older pods' going has its own timeoutSeconds, above)
			// as OpenShift: the failed RC scaled down, the last complete one back up
			acts = append(acts, action{Kind: "scale", RC: latest.Name, Replicas: 0},
				action{Kind: "phase", RC: latest.Name, Phase: phaseFailed, Reason: "the rollout exceeded its timeoutSeconds"})
			if prev := lastComplete(rcs, latest.Version); prev != nil {
				acts = append(acts, action{Kind: "scale", RC: prev.Name, Replicas: c.Replicas})
			}
			reason, message = reasonTimedOut, fmt.Sprintf("replication controller %q has failed progressing", latest.Name)
		}
	case phaseComplete:
		if latest.SpecReplicas != c.Replicas { // oc scale dc/NAME
			acts = append(acts, action{Kind: "scale", RC: latest.Name, Replicas: c.Replicas})
		}
		reason, message = reasonAvailable, fmt.Sprintf("replication controller %q successfully rolled out", latest.Name)
	case phaseFailed:
		reason, message = reasonTimedOut, fmt.Sprintf("replication controller %q has failed progressing", latest.Name)
	}
	return acts, statusOf(c, rcs, latest, c.LatestVersion, reason, message, now)
}

func lastComplete(rcs []controller, before int64) *controller {
	var found *controller
	for i := range rcs {
		if rcs[i].Version < before && rcs[i].Phase == phaseComplete {
			found = &rcs[i]
		}
	}
	return found
}

func rcName(config string, version int64) string {
	return config + "-" + strconv.FormatInt(version, 10)
}

// newController is version's ReplicationController, with no replica yet: its selector and its pods' labels are the
// config's with OpenShift's deployment and deploymentconfig labels; it is owned by the config (deleted with it).
func newController(c config, version int64) map[string]any {
	name := rcName(c.Name, version)
	encoded, _ := json.Marshal(map[string]any{"template": c.Template})
	template := copyJSON(c.Template)
	meta, _ := template["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		template["metadata"] = meta
	}
	podLabels := map[string]any{}
	for k, v := range asMap(meta["labels"]) {
		podLabels[k] = v
	}
	podLabels[labelDeployment], podLabels[labelDeploymentCfg] = name, c.Name
	meta["labels"] = podLabels
	podAnn := asMap(meta["annotations"])
	podAnn[annDeploymentName], podAnn[annConfig], podAnn[annVersion] = name, c.Name, strconv.FormatInt(version, 10)
	meta["annotations"] = podAnn
	selector := map[string]any{}
	for k, v := range c.Selector {
		selector[k] = v
	}
	selector[labelDeployment], selector[labelDeploymentCfg] = name, c.Name
	labels := map[string]any{}
	for k, v := range c.Labels {
		labels[k] = v
	}
	labels[labelConfig] = c.Name
	yes := true
	return map[string]any{
		"apiVersion": "v1", "kind": "ReplicationController",
		"metadata": map[string]any{"name": name, "namespace": c.Namespace, "labels": labels,
			"annotations": map[string]any{annConfig: c.Name, annVersion: strconv.FormatInt(version, 10),
				annPhase: phaseNew, annReplicas: strconv.FormatInt(c.Replicas, 10), annEncoded: string(encoded)},
			"ownerReferences": []any{map[string]any{"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig",
				"name": c.Name, "uid": c.UID, "controller": yes, "blockOwnerDeletion": yes}}},
		"spec": map[string]any{"replicas": 0, "selector": selector, "template": template},
	}
}

// statusOf is the config's status: its pods counted over its RCs, the latest's as updated, and OpenShift's two
// conditions (Available, Progressing) with the reason and message `oc rollout status` reads.
func statusOf(c config, rcs []controller, latest *controller, version int64, reason, message string, now time.Time) map[string]any {
	var replicas, ready, available, updated int64
	for _, r := range rcs {
		replicas += r.Replicas
		ready += r.Ready
		available += r.Available
	}
	if latest != nil {
		updated = latest.Replicas
	}
	unavailable := replicas - available
	if unavailable < 0 {
		unavailable = 0
	}
	ts := now.UTC().Format(time.RFC3339)
	conds := []any{}
	avail := "False"
	if available >= c.Replicas {
		avail = "True"
	}
	conds = append(conds, condition(c.Conditions, "Available", avail, "", "", ts))
	if reason != "" {
		progressing := "True"
		if reason == reasonTimedOut {
			progressing = "False"
		}
		conds = append(conds, condition(c.Conditions, "Progressing", progressing, reason, message, ts))
	}
	return map[string]any{"latestVersion": version, "observedGeneration": c.Generation, "replicas": replicas,
		"updatedReplicas": updated, "readyReplicas": ready, "availableReplicas": available,
		"unavailableReplicas": unavailable, "conditions": conds}
}

// condition keeps a condition's lastTransitionTime while its status holds, as the API's conditions do.
func condition(old []any, kind, status, reason, message, now string) map[string]any {
	transition, update := now, now
	for _, o := range old {
		m := asMap(o)
		if m["type"] == kind && m["status"] == status {
			if t, ok := m["lastTransitionTime"].(string); ok {
				transition = t
			}
			if str(m["reason"]) == reason && str(m["message"]) == message { // absent where empty
				if t, ok := m["lastUpdateTime"].(string); ok {
					update = t
				}
			}
		}
	}
	out := map[string]any{"type": kind, "status": status, "lastTransitionTime": transition, "lastUpdateTime": update}
	if reason != "" {
		out["reason"], out["message"] = reason, message
	}
	return out
}

func asMap(v any) map[string]any {
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return map[string]any{}
}

func copyJSON(v map[string]any) map[string]any {
	b, _ := json.Marshal(v)
	out := map[string]any{}
	_ = json.Unmarshal(b, &out)
	return out
}
