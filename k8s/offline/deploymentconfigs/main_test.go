package main

import (
	"encoding/json"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)

func template(env string) map[string]any {
	return map[string]any{"metadata": map[string]any{"labels": map[string]any{"name": "postgresql"}},
		"spec": map[string]any{"containers": []any{map[string]any{"name": "postgresql", "image": "pg",
			"env": []any{map[string]any{"name": "X", "value": env}}}}}}
}

func cfg(env string, latest int64) config {
	return config{Namespace: "ns", Name: "postgresql", UID: "u1", Generation: 2, Replicas: 1,
		Selector: map[string]string{"name": "postgresql"}, Template: template(env), Strategy: "Recreate",
		Timeout: defaultTimeout, ConfigChange: true, LatestVersion: latest}
}

func kinds(acts []action) []string {
	var out []string
	for _, a := range acts {
		s := a.Kind + " " + a.RC
		switch a.Kind {
		case "scale":
			s += " " + string(rune('0'+a.Replicas))
		case "phase":
			s += " " + a.Phase
		}
		out = append(out, s)
	}
	return out
}

func same(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got %q, want %q", what, got, want)
		}
	}
}

func progressing(t *testing.T, status map[string]any) map[string]any {
	t.Helper()
	for _, c := range status["conditions"].([]any) {
		if c.(map[string]any)["type"] == "Progressing" {
			return c.(map[string]any)
		}
	}
	t.Fatalf("no Progressing condition in %v", status)
	return nil
}

// A new config with a ConfigChange trigger gets its first RC, with OpenShift's labels on its selector and pods.
func TestAConfigGetsItsFirstReplicationController(t *testing.T) {
	acts, status := decide(cfg("a", 0), nil, 0, t0)
	same(t, "actions", kinds(acts), "create postgresql-1")
	rc := acts[0].Object
	sel := rc["spec"].(map[string]any)["selector"].(map[string]any)
	if sel["name"] != "postgresql" || sel["deployment"] != "postgresql-1" || sel["deploymentconfig"] != "postgresql" {
		t.Errorf("selector %v", sel)
	}
	pod := rc["spec"].(map[string]any)["template"].(map[string]any)["metadata"].(map[string]any)["labels"].(map[string]any)
	if pod["name"] != "postgresql" || pod["deployment"] != "postgresql-1" {
		t.Errorf("pod labels %v", pod)
	}
	if rc["spec"].(map[string]any)["replicas"] != 0 {
		t.Errorf("a new RC starts with no replica: %v", rc["spec"])
	}
	if status["latestVersion"] != int64(1) || progressing(t, status)["reason"] != reasonCreated {
		t.Errorf("status %v", status)
	}
}

// Recreate: the older RC goes to 0 and its pods go before the new RC makes one; then the rollout completes.
func TestRecreateWaitsForTheOlderPodsToGo(t *testing.T) {
	v1 := controller{Name: "postgresql-1", Version: 1, Phase: phaseComplete, SpecReplicas: 1, Replicas: 1, Available: 1, Template: template("a")}
	acts, status := decide(cfg("b", 1), []controller{v1}, 1, t0)
	same(t, "a new template", kinds(acts), "create postgresql-2")
	if status["latestVersion"] != int64(2) {
		t.Fatalf("status %v", status)
	}
	v2 := controller{Name: "postgresql-2", Version: 2, Phase: phaseNew, Created: t0, Template: template("b")}
	acts, _ = decide(cfg("b", 2), []controller{v1, v2}, 1, t0)
	same(t, "while the older pod runs", kinds(acts), "phase postgresql-2 Running", "scale postgresql-1 0")
	v1.SpecReplicas, v2.Phase = 0, phaseRunning
	acts, _ = decide(cfg("b", 2), []controller{v1, v2}, 1, t0)
	same(t, "while the older pod terminates", kinds(acts))
	acts, status = decide(cfg("b", 2), []controller{v1, v2}, 0, t0)
	same(t, "once it is gone", kinds(acts), "scale postgresql-2 1")
	if p := progressing(t, status); p["reason"] != reasonUpdated || status["updatedReplicas"] != int64(0) {
		t.Errorf("status %v", status)
	}
	v2.SpecReplicas, v2.Replicas, v2.Ready, v2.Available = 1, 1, 1, 1
	v1.Replicas, v1.Available = 0, 0
	acts, status = decide(cfg("b", 2), []controller{v1, v2}, 0, t0)
	same(t, "once its pod is available", kinds(acts), "phase postgresql-2 Complete")
	p := progressing(t, status)
	if p["reason"] != reasonAvailable || p["message"] != `replication controller "postgresql-2" successfully rolled out` || p["status"] != "True" {
		t.Errorf("Progressing %v", p)
	}
	v2.Phase = phaseComplete
	acts, _ = decide(cfg("b", 2), []controller{v1, v2}, 0, t0)
	same(t, "the same template again", kinds(acts))
}

// A rollout with no available pod within its timeoutSeconds fails; the last complete RC is scaled back up.
func TestARolloutPastItsTimeoutFailsAndTheLastCompleteComesBack(t *testing.T) {
	v1 := controller{Name: "postgresql-1", Version: 1, Phase: phaseComplete, Template: template("a")}
	v2 := controller{Name: "postgresql-2", Version: 2, Phase: phaseRunning, SpecReplicas: 1, Replicas: 1, Created: t0, Template: template("b")}
	acts, _ := decide(cfg("b", 2), []controller{v1, v2}, 0, t0.Add(defaultTimeout-time.Second))
	same(t, "within its timeout", kinds(acts))
	acts, status := decide(cfg("b", 2), []controller{v1, v2}, 0, t0.Add(defaultTimeout+time.Second))
	same(t, "past its timeout", kinds(acts), "scale postgresql-2 0", "phase postgresql-2 Failed", "scale postgresql-1 1")
	p := progressing(t, status)
	if p["reason"] != reasonTimedOut || p["status"] != "False" || p["message"] != `replication controller "postgresql-2" has failed progressing` {
		t.Errorf("Progressing %v", p)
	}
}

// Recreate, as OpenShift's deployer: an older pod that outlives timeoutSeconds is waited for no longer, and the new
// pods' timeoutSeconds counts from their scale-up, not from the RC's creation (a slow scale-down is no failed rollout).
func TestRecreateTimesTheScaleDownAndTheNewPodsApart(t *testing.T) {
	v1 := controller{Name: "postgresql-1", Version: 1, Phase: phaseComplete, Template: template("a")}
	v2 := controller{Name: "postgresql-2", Version: 2, Phase: phaseRunning, Created: t0, Template: template("b")}
	acts, _ := decide(cfg("b", 2), []controller{v1, v2}, 1, t0.Add(defaultTimeout-time.Second))
	same(t, "an older pod still going, within its timeout", kinds(acts))
	up := t0.Add(defaultTimeout + time.Second)
	acts, status := decide(cfg("b", 2), []controller{v1, v2}, 1, up)
	same(t, "an older pod past its timeout", kinds(acts), "scale postgresql-2 1")
	if !acts[0].Up.Equal(up) || progressing(t, status)["reason"] != reasonUpdated {
		t.Fatalf("the scale-up's time %v, status %v", acts[0].Up, status)
	}
	v2.SpecReplicas, v2.Replicas, v2.ScaledUp = 1, 1, up
	acts, _ = decide(cfg("b", 2), []controller{v1, v2}, 0, up.Add(defaultTimeout-time.Second))
	same(t, "its pod not ready, within the timeout from its scale-up", kinds(acts))
	acts, _ = decide(cfg("b", 2), []controller{v1, v2}, 0, up.Add(defaultTimeout+time.Second))
	same(t, "past it", kinds(acts), "scale postgresql-2 0", "phase postgresql-2 Failed", "scale postgresql-1 1")
}

// Rolling (a config's default strategy): the new pod first, the older RC scaled down once it is available.
func TestRollingStartsTheNewPodFirst(t *testing.T) {
	c := cfg("b", 2)
	c.Strategy = "Rolling"
	v1 := controller{Name: "postgresql-1", Version: 1, Phase: phaseComplete, SpecReplicas: 1, Replicas: 1, Available: 1, Template: template("a")}
	v2 := controller{Name: "postgresql-2", Version: 2, Phase: phaseRunning, Created: t0, Template: template("b")}
	acts, _ := decide(c, []controller{v1, v2}, 1, t0)
	same(t, "the new pod first", kinds(acts), "scale postgresql-2 1")
	v2.SpecReplicas, v2.Available = 1, 1
	acts, _ = decide(c, []controller{v1, v2}, 1, t0)
	same(t, "then the older down", kinds(acts), "scale postgresql-1 0", "phase postgresql-2 Complete")
}

// Without a ConfigChange trigger (an ImageChange trigger alone), nothing is rolled out.
func TestOnlyAConfigChangeTriggerRollsOut(t *testing.T) {
	c := cfg("a", 0)
	c.ConfigChange = false
	acts, status := decide(c, nil, 0, t0)
	same(t, "actions", kinds(acts))
	if status["latestVersion"] != int64(0) {
		t.Errorf("status %v", status)
	}
}

// A condition with no reason (Available's) keeps its lastUpdateTime: read back, it has no reason key at all.
func TestAConditionWithoutReasonKeepsItsUpdateTime(t *testing.T) {
	old := []any{map[string]any{"type": "Available", "status": "True", "lastTransitionTime": "T1", "lastUpdateTime": "T1"}}
	if c := condition(old, "Available", "True", "", "", "T2"); c["lastUpdateTime"] != "T1" {
		t.Fatalf("Available's lastUpdateTime changed without a change: %v", c)
	}
}

// A condition keeps its lastTransitionTime while its status holds.
func TestAConditionKeepsItsTransitionTime(t *testing.T) {
	old := []any{map[string]any{"type": "Available", "status": "True", "lastTransitionTime": "T1", "lastUpdateTime": "T1"}}
	if c := condition(old, "Available", "True", "", "", "T2"); c["lastTransitionTime"] != "T1" {
		t.Errorf("%v", c)
	}
	if c := condition(old, "Available", "False", "", "", "T2"); c["lastTransitionTime"] != "T2" {
		t.Errorf("%v", c)
	}
}

// A status read back from the API server (numbers as float64) is the same as the one computed (int64): no write.
func TestSameStatusIsNotWrittenAgain(t *testing.T) {
	computed := map[string]any{"latestVersion": int64(2), "conditions": []any{map[string]any{"type": "Available", "status": "True"}}}
	var read map[string]any
	if err := json.Unmarshal([]byte(`{"conditions":[{"status":"True","type":"Available"}],"latestVersion":2}`), &read); err != nil {
		t.Fatal(err)
	}
	if !sameJSON(computed, read) {
		t.Fatal("the same status read back was taken for a new one")
	}
	read["latestVersion"] = float64(3)
	if sameJSON(computed, read) {
		t.Fatal("a new latestVersion was taken for the same status")
	}
}
