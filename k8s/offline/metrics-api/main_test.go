package main

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func u(n uint64) *uint64 { return &n }

func TestParseReadsTheMetricsPaths(t *testing.T) {
	for path, want := range map[string]request{
		prefix + "/nodes":                         {resource: "nodes"},
		prefix + "/nodes/n1":                      {resource: "nodes", name: "n1"},
		prefix + "/pods":                          {resource: "pods"},
		prefix + "/namespaces/ns/pods":            {namespace: "ns", resource: "pods"},
		prefix + "/namespaces/ns/pods/postgresql": {namespace: "ns", resource: "pods", name: "postgresql"},
	} {
		got, ok := parse(path)
		if !ok || got.namespace != want.namespace || got.resource != want.resource || got.name != want.name {
			t.Errorf("parse(%q) = %+v, %v; want %+v", path, got, ok, want)
		}
	}
	for _, path := range []string{prefix + "/pods/x", prefix + "/namespaces/ns/services", "/api/v1/pods", prefix + "/namespaces/ns/pods/a/b"} {
		if _, ok := parse(path); ok {
			t.Errorf("parse(%q) accepted a path the metrics API does not serve", path)
		}
	}
}

// A pod is listed once each of its containers has both figures; the namespace and the name filter; a missing pod is
// metrics-server's NotFound.
func TestPodsAreListedOnceEveryContainerHasItsFigures(t *testing.T) {
	var s summary
	add := func(ns, name string, cpu, mem *uint64) {
		p := struct {
			PodRef struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"podRef"`
			Containers []stats `json:"containers"`
		}{}
		p.PodRef.Name, p.PodRef.Namespace = name, ns
		p.Containers = []stats{{Name: "postgresql", CPU: &usage{Time: "2026-12-05T23:00:00Z", UsageNanoCores: cpu},
			Memory: &usage{WorkingSetBytes: mem}}}
		s.Pods = append(s.Pods, p)
	}
	add("a", "ready", u(3_000_000), u(41*1024*1024))
	add("a", "new", nil, u(1024))
	add("b", "other", u(1), u(1024))

	w := httptest.NewRecorder()
	servePods(w, request{namespace: "a", resource: "pods"}, &s)
	var list struct {
		Kind  string `json:"kind"`
		Items []struct {
			Metadata   struct{ Name string } `json:"metadata"`
			Timestamp  string                `json:"timestamp"`
			Containers []struct {
				Usage map[string]string `json:"usage"`
			} `json:"containers"`
		} `json:"items"`
	}
	if err := json.NewDecoder(w.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if list.Kind != "PodMetricsList" || len(list.Items) != 1 || list.Items[0].Metadata.Name != "ready" {
		t.Fatalf("namespace a lists %+v; want the one pod with figures, ready", list)
	}
	if got := list.Items[0].Containers[0].Usage; got["cpu"] != "3000000n" || got["memory"] != "41984Ki" {
		t.Errorf("usage %v; want cpu 3000000n, memory 41984Ki", got)
	}
	if list.Items[0].Timestamp != "2026-12-05T23:00:00Z" {
		t.Errorf("timestamp %q; want the kubelet's sample time", list.Items[0].Timestamp)
	}

	w = httptest.NewRecorder()
	servePods(w, request{namespace: "a", resource: "pods", name: "new"}, &s)
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), `podmetrics.metrics.k8s.io \"new\" not found`) {
		t.Errorf("a pod without figures yet: %d %s; want metrics-server's NotFound", w.Code, w.Body)
	}
}

// Only a client certificate of the front-proxy CA with the allowed name is served, whatever its headers say.
func TestOnlyTheFrontProxyIsServed(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, prefix+"/namespaces/a/pods", nil)
	r.Header.Set("X-Remote-User", "admin")
	serve(w, r)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("no TLS client certificate, a forged X-Remote-User: %d; want 401", w.Code)
	}

	other := &x509.Certificate{Subject: pkix.Name{CommonName: "kube-apiserver-kubelet-client"}}
	r = httptest.NewRequest(http.MethodGet, prefix, nil)
	r.TLS = &tls.ConnectionState{VerifiedChains: [][]*x509.Certificate{{other}}}
	w = httptest.NewRecorder()
	serve(w, r)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("a verified certificate of another name: %d; want 401", w.Code)
	}

	proxy := &x509.Certificate{Subject: pkix.Name{CommonName: *allowedName}}
	r.TLS = &tls.ConnectionState{VerifiedChains: [][]*x509.Certificate{{proxy}}}
	w = httptest.NewRecorder()
	serve(w, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"groupVersion":"metrics.k8s.io/v1beta1"`) {
		t.Errorf("the front proxy's discovery: %d %s", w.Code, w.Body)
	}
}
