// The offline cluster's resource metrics API (metrics.k8s.io/v1beta1), what `kubectl top` reads: the figures are the
// kubelet's own (its /stats/summary: each container's CPU in nanocores and working-set memory, measured by the
// kubelet's cAdvisor from the pods' cgroups), served as metrics-server serves them. metrics-server itself cannot be
// pulled or built here (its Go modules are not reachable); this program uses Go's standard library only.
//
// It runs on the node as the other control-plane daemons do (start/metrics.sh), behind the API server's aggregation
// layer: only the API server's front proxy (a client certificate of the front-proxy CA, CN front-proxy-client) is
// served, and each request is authorised for the user the front proxy names (X-Remote-User, X-Remote-Group) with a
// SubjectAccessReview, as an aggregated API server must.
package main

import (
	"bytes"
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
	"strings"
	"time"
)

var (
	listen       = flag.String("listen", "", "address:port to serve on")
	servingCert  = flag.String("tls-cert", "", "serving certificate")
	servingKey   = flag.String("tls-key", "", "serving key")
	frontProxyCA = flag.String("requestheader-client-ca", "", "the CA of the API server's front-proxy client certificate")
	allowedName  = flag.String("requestheader-allowed-name", "front-proxy-client", "the front proxy's certificate CN")
	apiServer    = flag.String("api", "", "the API server's URL")
	kubelet      = flag.String("kubelet", "", "the kubelet's URL")
	clusterCA    = flag.String("ca", "", "the cluster CA (API server's and kubelet's serving certificates)")
	clientCert   = flag.String("client-cert", "", "this daemon's client certificate (to the API server and the kubelet)")
	clientKey    = flag.String("client-key", "", "this daemon's client key")
)

const group = "metrics.k8s.io"
const version = "v1beta1"
const prefix = "/apis/" + group + "/" + version

var client *http.Client

func main() {
	flag.Parse()
	pool := func(file string) *x509.CertPool {
		pem, err := os.ReadFile(file)
		if err != nil {
			log.Fatal(err)
		}
		p := x509.NewCertPool()
		if !p.AppendCertsFromPEM(pem) {
			log.Fatalf("no certificate in %s", file)
		}
		return p
	}
	mine, err := tls.LoadX509KeyPair(*clientCert, *clientKey)
	if err != nil {
		log.Fatal(err)
	}
	client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		Proxy:           nil, // the node's own addresses only, never a proxy
		TLSClientConfig: &tls.Config{RootCAs: pool(*clusterCA), Certificates: []tls.Certificate{mine}},
	}}
	mux := http.NewServeMux()
	mux.HandleFunc("/", serve)
	server := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: pool(*frontProxyCA)}}
	log.Printf("metrics.k8s.io/v1beta1 on %s, from the kubelet %s", *listen, *kubelet)
	log.Fatal(server.ListenAndServeTLS(*servingCert, *servingKey))
}

// request is one call: what it asks, and the user the front proxy names.
type request struct {
	namespace, resource, name, selector string
	user                                string
	groups                              []string
}

func serve(w http.ResponseWriter, r *http.Request) {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || r.TLS.VerifiedChains[0][0].Subject.CommonName != *allowedName {
		status(w, http.StatusUnauthorized, "Unauthorized", "only the API server's front proxy is served")
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	if r.Method != http.MethodGet {
		status(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "the metrics API is read-only")
		return
	}
	switch {
	case path == prefix:
		writeJSON(w, map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group + "/" + version,
			"resources": []map[string]any{
				{"name": "nodes", "singularName": "", "namespaced": false, "kind": "NodeMetrics", "verbs": []string{"get", "list"}},
				{"name": "pods", "singularName": "", "namespaced": true, "kind": "PodMetrics", "verbs": []string{"get", "list"}},
			}})
		return
	case path == "/apis":
		writeJSON(w, map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": []map[string]any{{"name": group,
			"versions":         []map[string]string{{"groupVersion": group + "/" + version, "version": version}},
			"preferredVersion": map[string]string{"groupVersion": group + "/" + version, "version": version}}}})
		return
	case path == "/healthz" || path == "/readyz" || path == "/livez":
		w.Write([]byte("ok"))
		return
	}
	q, ok := parse(path)
	if !ok {
		status(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource")
		return
	}
	q.selector = r.URL.Query().Get("labelSelector")
	q.user = r.Header.Get("X-Remote-User")
	q.groups = r.Header.Values("X-Remote-Group")
	verb := "list"
	if q.name != "" {
		verb = "get"
	}
	allowed, err := authorize(q, verb)
	if err != nil {
		status(w, http.StatusInternalServerError, "InternalError", err.Error())
		return
	}
	if !allowed {
		where := ""
		if q.namespace != "" {
			where = fmt.Sprintf(" in the namespace %q", q.namespace)
		}
		status(w, http.StatusForbidden, "Forbidden", fmt.Sprintf("%s.%s is forbidden: User %q cannot %s resource %q in API group %q%s",
			q.resource, group, q.user, verb, q.resource, group, where))
		return
	}
	summary, err := kubeletSummary()
	if err != nil {
		status(w, http.StatusServiceUnavailable, "ServiceUnavailable", err.Error())
		return
	}
	if q.resource == "nodes" {
		serveNodes(w, q, summary)
	} else {
		servePods(w, q, summary)
	}
}

// parse reads /apis/metrics.k8s.io/v1beta1/{nodes[/NAME] | pods | namespaces/NS/pods[/NAME]}.
func parse(path string) (request, bool) {
	if !strings.HasPrefix(path, prefix+"/") {
		return request{}, false
	}
	p := strings.Split(strings.TrimPrefix(path, prefix+"/"), "/")
	switch {
	case len(p) <= 2 && (p[0] == "nodes" || p[0] == "pods"):
		q := request{resource: p[0]}
		if len(p) == 2 {
			if p[0] == "pods" {
				return request{}, false
			}
			q.name = p[1]
		}
		return q, true
	case len(p) >= 3 && len(p) <= 4 && p[0] == "namespaces" && p[2] == "pods":
		q := request{namespace: p[1], resource: "pods"}
		if len(p) == 4 {
			q.name = p[3]
		}
		return q, true
	}
	return request{}, false
}

// authorize asks the API server whether the front proxy's user may do verb on the resource (a SubjectAccessReview).
func authorize(q request, verb string) (bool, error) {
	review := map[string]any{"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": map[string]any{
		"user": q.user, "groups": q.groups, "resourceAttributes": map[string]string{
			"namespace": q.namespace, "verb": verb, "group": group, "version": version, "resource": q.resource, "name": q.name}}}
	body, _ := json.Marshal(review)
	var answer struct {
		Status struct {
			Allowed bool `json:"allowed"`
		} `json:"status"`
	}
	err := call(http.MethodPost, *apiServer+"/apis/authorization.k8s.io/v1/subjectaccessreviews", body, "SubjectAccessReview", &answer)
	return answer.Status.Allowed, err
}

// call sends a request (a JSON body when given) and decodes the JSON answer into into; an error names what it was for.
func call(method, target string, body []byte, what string, into any) error {
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s: %s: %s", what, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

type usage struct {
	Time            string  `json:"time"`
	UsageNanoCores  *uint64 `json:"usageNanoCores"`
	WorkingSetBytes *uint64 `json:"workingSetBytes"`
}

type stats struct {
	Name   string `json:"name"`
	CPU    *usage `json:"cpu"`
	Memory *usage `json:"memory"`
}

type summary struct {
	Node struct {
		NodeName string `json:"nodeName"`
		CPU      *usage `json:"cpu"`
		Memory   *usage `json:"memory"`
	} `json:"node"`
	Pods []struct {
		PodRef struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"podRef"`
		Containers []stats `json:"containers"`
	} `json:"pods"`
}

func kubeletSummary() (*summary, error) {
	var s summary
	return &s, call(http.MethodGet, *kubelet+"/stats/summary", nil, "kubelet /stats/summary", &s)
}

// known: the figures a container has once the kubelet has two samples of it.
func known(u *usage, memory bool) bool {
	if u == nil {
		return false
	}
	if memory {
		return u.WorkingSetBytes != nil
	}
	return u.UsageNanoCores != nil
}

func quantities(cpu, memory *usage) map[string]string {
	return map[string]string{"cpu": fmt.Sprintf("%dn", *cpu.UsageNanoCores), "memory": fmt.Sprintf("%dKi", *memory.WorkingSetBytes/1024)}
}

func servePods(w http.ResponseWriter, q request, s *summary) {
	var names map[string]bool
	if q.selector != "" { // the pods the selector picks, as the API server lists them
		var err error
		if names, err = selected(q.namespace, q.selector); err != nil {
			status(w, http.StatusBadRequest, "BadRequest", err.Error())
			return
		}
	}
	now := time.Now().UTC().Format(time.RFC3339)
	items := []map[string]any{}
	for _, p := range s.Pods {
		if (q.namespace != "" && p.PodRef.Namespace != q.namespace) || (q.name != "" && p.PodRef.Name != q.name) ||
			(names != nil && !names[p.PodRef.Name]) {
			continue
		}
		containers := []map[string]any{}
		complete := len(p.Containers) > 0
		stamp := now
		for _, c := range p.Containers {
			if !known(c.CPU, false) || !known(c.Memory, true) {
				complete = false
				break
			}
			stamp = c.CPU.Time
			containers = append(containers, map[string]any{"name": c.Name, "usage": quantities(c.CPU, c.Memory)})
		}
		if !complete {
			continue // as metrics-server: a pod is listed once each of its containers has figures
		}
		items = append(items, map[string]any{"metadata": map[string]any{"name": p.PodRef.Name, "namespace": p.PodRef.Namespace,
			"creationTimestamp": now}, "timestamp": stamp, "window": "10s", "containers": containers})
	}
	answer(w, q, "PodMetrics", items)
}

func serveNodes(w http.ResponseWriter, q request, s *summary) {
	now := time.Now().UTC().Format(time.RFC3339)
	items := []map[string]any{}
	if known(s.Node.CPU, false) && known(s.Node.Memory, true) && (q.name == "" || q.name == s.Node.NodeName) {
		items = append(items, map[string]any{"metadata": map[string]any{"name": s.Node.NodeName, "creationTimestamp": now},
			"timestamp": now, "window": "10s", "usage": quantities(s.Node.CPU, s.Node.Memory)})
	}
	answer(w, q, "NodeMetrics", items)
}

// answer writes the one item a get names (metrics-server's NotFound when it has no figures), or a list's items.
func answer(w http.ResponseWriter, q request, kind string, items []map[string]any) {
	if q.name != "" {
		if len(items) == 0 {
			status(w, http.StatusNotFound, "NotFound", fmt.Sprintf("%s.%s %q not found", strings.ToLower(kind), group, q.name))
			return
		}
		item := items[0]
		item["kind"], item["apiVersion"] = kind, group+"/"+version
		writeJSON(w, item)
		return
	}
	writeJSON(w, map[string]any{"kind": kind + "List", "apiVersion": group + "/" + version, "metadata": map[string]any{},
		"items": items})
}

// selected: the names of the pods of the namespace that the label selector picks, from the API server.
func selected(namespace, selector string) (map[string]bool, error) {
	path := "/api/v1/pods"
	if namespace != "" {
		path = "/api/v1/namespaces/" + url.PathEscape(namespace) + "/pods"
	}
	var list struct {
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		} `json:"items"`
	}
	if err := call(http.MethodGet, *apiServer+path+"?labelSelector="+url.QueryEscape(selector), nil, "listing the pods", &list); err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, i := range list.Items {
		names[i.Metadata.Name] = true
	}
	return names, nil
}

func status(w http.ResponseWriter, code int, reason, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": message, "reason": reason, "code": code})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
