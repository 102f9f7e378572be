// The offline cluster's DeploymentConfig controller: OpenShift's apps.openshift.io/v1 DeploymentConfig, served by the
// API server as a CustomResourceDefinition (start/deploymentconfigs.sh) and rolled out by this program, as OpenShift's
// controller and deployer pod do it. Each rollout is a ReplicationController named CONFIG-VERSION, made and scaled here
// and run by the cluster's own replication controller, so the pods are the cluster's, under its admission and
// security profile. A new template (a ConfigChange trigger) is a new version; the Recreate strategy scales the older
// RCs down and waits until their pods are gone (at most its timeoutSeconds) before the new RC makes one; Rolling makes
// the new pods first. A rollout that has no available pod within its timeoutSeconds (600 by default) of its scale-up
// fails, and the last complete RC is scaled back up, as on OpenShift. The config's status carries what `oc rollout status dc/NAME` reads.
//
// Not done here (OpenShift does): ImageChange triggers (no image streams), lifecycle hooks, the deployer pod itself
// (`NAME-VERSION-deploy`), `oc rollout latest/undo/cancel`, revisionHistoryLimit's pruning, paused configs.
//
// It runs on the node as the other control-plane daemons do, with a client certificate of its own; it watches the
// configs, their RCs and pods, and reconciles every config after each change. Go's standard library only.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"time"
)

var (
	apiServer  = flag.String("api", "", "the API server's URL")
	clusterCA  = flag.String("ca", "", "the cluster CA")
	clientCert = flag.String("client-cert", "", "this controller's client certificate")
	clientKey  = flag.String("client-key", "", "this controller's client key")
	resync     = flag.Duration("resync", 10*time.Second, "how often every config is reconciled without a change seen")
)

const dcPath = "/apis/apps.openshift.io/v1/deploymentconfigs"

var client *http.Client

func main() {
	flag.Parse()
	pem, err := os.ReadFile(*clusterCA)
	if err != nil {
		log.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		log.Fatalf("no certificate in %s", *clusterCA)
	}
	mine, err := tls.LoadX509KeyPair(*clientCert, *clientKey)
	if err != nil {
		log.Fatal(err)
	}
	// the node's own addresses only, never a proxy; its connections kept and reused (the watches hold three)
	client = &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 8,
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{mine}}}}
	changed := make(chan struct{}, 1)
	for _, p := range []string{dcPath, "/api/v1/replicationcontrollers?labelSelector=" + url.QueryEscape(labelConfig),
		"/api/v1/pods?labelSelector=" + url.QueryEscape(labelDeploymentCfg)} {
		go watch(p, changed)
	}
	log.Printf("DeploymentConfig controller on %s", *apiServer)
	tick := time.NewTicker(*resync)
	for {
		select {
		case <-changed:
		case <-tick.C:
		}
		if err := reconcileAll(time.Now()); err != nil {
			log.Print(err)
		}
	}
}

// watch signals changed at each event of a watch of path, and watches again when the API server ends it.
func watch(path string, changed chan<- struct{}) {
	sep := "?"
	if bytes.ContainsRune([]byte(path), '?') {
		sep = "&"
	}
	for {
		resp, err := client.Get(*apiServer + path + sep + "watch=true")
		if err == nil && resp.StatusCode == http.StatusOK {
			lines := bufio.NewScanner(resp.Body)
			lines.Buffer(make([]byte, 1<<20), 16<<20)
			for lines.Scan() {
				select {
				case changed <- struct{}{}:
				default:
				}
			}
		} else if err == nil {
			b, _ := io.ReadAll(resp.Body)
			log.Printf("watch %s: %s: %s", path, resp.Status, b)
		} else {
			log.Printf("watch %s: %v", path, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
		time.Sleep(time.Second) // a watch the API server ended, or refused: again, without spinning
	}
}

type list struct {
	Items []map[string]any `json:"items"`
}

func reconcileAll(now time.Time) error {
	var dcs list
	if err := call(http.MethodGet, dcPath, nil, "", &dcs); err != nil {
		return err
	}
	for _, raw := range dcs.Items {
		c := readConfig(raw)
		if err := reconcile(c, now); err != nil {
			log.Printf("deploymentconfig %s/%s: %v", c.Namespace, c.Name, err)
		}
	}
	return nil
}

func reconcile(c config, now time.Time) error {
	ns := "/api/v1/namespaces/" + c.Namespace
	var rcList, pods list
	if err := call(http.MethodGet, ns+"/replicationcontrollers?labelSelector="+url.QueryEscape(labelConfig+"="+c.Name), nil, "", &rcList); err != nil {
		return err
	}
	if err := call(http.MethodGet, ns+"/pods?labelSelector="+url.QueryEscape(labelDeploymentCfg+"="+c.Name), nil, "", &pods); err != nil {
		return err
	}
	var rcs []controller
	for _, r := range rcList.Items {
		rc := readController(r)
		rcs = append(rcs, rc)
		if rc.Version > c.LatestVersion { // made by an earlier round whose status did not land
			c.LatestVersion = rc.Version
		}
	}
	older := 0
	for _, p := range pods.Items {
		if asMap(asMap(p["metadata"])["labels"])[labelDeployment] != rcName(c.Name, c.LatestVersion) {
			older++
		}
	}
	acts, status := decide(c, rcs, older, now)
	for _, a := range acts {
		var err error
		switch a.Kind {
		case "create":
			body, _ := json.Marshal(a.Object)
			err = call(http.MethodPost, ns+"/replicationcontrollers", body, "", nil)
			log.Printf("%s/%s: version %s, replication controller %s created", c.Namespace, c.Name, strconv.FormatInt(status["latestVersion"].(int64), 10), a.RC)
		case "scale":
			body := map[string]any{"spec": map[string]any{"replicas": a.Replicas}}
			if !a.Up.IsZero() {
				body["metadata"] = map[string]any{"annotations": map[string]any{annScaledUp: a.Up.UTC().Format(time.RFC3339)}}
			}
			err = patch(ns+"/replicationcontrollers/"+a.RC, body)
			log.Printf("%s/%s: %s scaled to %d", c.Namespace, c.Name, a.RC, a.Replicas)
		case "phase":
			ann := map[string]any{annPhase: a.Phase}
			if a.Reason != "" {
				ann[annReason] = a.Reason
			}
			err = patch(ns+"/replicationcontrollers/"+a.RC, map[string]any{"metadata": map[string]any{"annotations": ann}})
			log.Printf("%s/%s: %s %s %s", c.Namespace, c.Name, a.RC, a.Phase, a.Reason)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", a.Kind, a.RC, err)
		}
	}
	if sameJSON(status, c.Status) {
		// as OpenShift's controller: no write where nothing changed (a write is a new resourceVersion, and a reader's
		// `oc get -o yaml` file applied later would meet a Conflict)
		return nil
	}
	return patch("/apis/apps.openshift.io/v1/namespaces/"+c.Namespace+"/deploymentconfigs/"+c.Name+"/status",
		map[string]any{"status": status})
}

// sameJSON says whether a and b are the same once written as JSON (an int64 and a decoded float64 alike).
func sameJSON(a, b map[string]any) bool {
	var x, y any
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil || json.Unmarshal(ja, &x) != nil || json.Unmarshal(jb, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func readConfig(raw map[string]any) config {
	meta, spec, status := asMap(raw["metadata"]), asMap(raw["spec"]), asMap(raw["status"])
	c := config{Namespace: str(meta["namespace"]), Name: str(meta["name"]), UID: str(meta["uid"]),
		Generation: num(meta["generation"]), Labels: strings(meta["labels"]), Replicas: 1,
		Selector: strings(spec["selector"]), Template: asMap(spec["template"]), Strategy: "Rolling",
		Timeout: defaultTimeout, LatestVersion: num(status["latestVersion"]), Status: status}
	if r, ok := spec["replicas"]; ok {
		c.Replicas = num(r)
	}
	if conds, ok := status["conditions"].([]any); ok {
		c.Conditions = conds
	}
	strategy := asMap(spec["strategy"])
	if t := str(strategy["type"]); t != "" {
		c.Strategy = t
	}
	params := asMap(strategy[map[string]string{"Recreate": "recreateParams", "Rolling": "rollingParams"}[c.Strategy]])
	if t := num(params["timeoutSeconds"]); t > 0 {
		c.Timeout = time.Duration(t) * time.Second
	}
	triggers, given := spec["triggers"].([]any)
	c.ConfigChange = !given // OpenShift's default when a config names no trigger
	for _, t := range triggers {
		if asMap(t)["type"] == "ConfigChange" {
			c.ConfigChange = true
		}
	}
	return c
}

func readController(raw map[string]any) controller {
	meta, spec, status := asMap(raw["metadata"]), asMap(raw["spec"]), asMap(raw["status"])
	ann := strings(meta["annotations"])
	version, _ := strconv.ParseInt(ann[annVersion], 10, 64)
	created, _ := time.Parse(time.RFC3339, str(meta["creationTimestamp"]))
	scaledUp, _ := time.Parse(time.RFC3339, ann[annScaledUp]) // zero where absent
	var encoded struct {
		Template map[string]any `json:"template"`
	}
	_ = json.Unmarshal([]byte(ann[annEncoded]), &encoded)
	return controller{Name: str(meta["name"]), Version: version, Phase: ann[annPhase], SpecReplicas: num(spec["replicas"]),
		Replicas: num(status["replicas"]), Ready: num(status["readyReplicas"]), Available: num(status["availableReplicas"]),
		Created: created, ScaledUp: scaledUp, Template: encoded.Template}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case int64:
		return n
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	}
	return 0
}

func strings(v any) map[string]string {
	out := map[string]string{}
	for k, x := range asMap(v) {
		out[k] = str(x)
	}
	return out
}

func patch(path string, body map[string]any) error {
	b, _ := json.Marshal(body)
	return call(http.MethodPatch, path, b, "application/merge-patch+json", nil)
}

// call sends a request to the API server (a JSON body when given) and decodes its answer into into, when given.
func call(method, path string, body []byte, contentType string, into any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, *apiServer+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		if contentType == "" {
			contentType = "application/json"
		}
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	// read to its end, so that the connection is reused: a body left unread costs a new TCP connection per call
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, answer)
	}
	if into == nil {
		return nil
	}
	return json.Unmarshal(answer, into)
}
