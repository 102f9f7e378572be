package io.github.pgreplication.harness.entry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * bin/certify runs what `./mvnw -Pcertify verify` runs: the plugins (so the same reports) of pom.xml's certify
 * execution, the suite Failsafe includes, and the Testcontainers environment Failsafe sets. Said in two places
 * because one is a shell script; this test keeps them the same.
 */
class CertifyEntryPointTest {

    private static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    }

    private static Element failsafe(Document pom) {
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            if (child(p, "artifactId").getTextContent().equals("maven-failsafe-plugin") && child(p, "executions") != null) {
                return p;
            }
        }
        throw new AssertionError("pom.xml: no maven-failsafe-plugin with executions");
    }

    private static Element child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void theSamePluginsAndSoTheSameReportsAsTheCertifyExecution() throws Exception {
        NodeList executions = failsafe(pom()).getElementsByTagName("execution");
        String plugins = null;
        for (int i = 0; i < executions.getLength(); i++) {
            Element e = (Element) executions.item(i);
            if (child(e, "id").getTextContent().equals("certify")) {
                plugins = ((Element) e.getElementsByTagName("cucumber.plugin").item(0)).getTextContent();
            }
        }
        assertThat(plugins).as("pom.xml: the certify execution's cucumber.plugin").isNotNull();
        assertThat(Certify.plugins("${harness.reports}")).isEqualTo(plugins.trim());
    }

    @Test
    void theSameSuiteAsFailsafe() throws Exception {
        Element includes = child(child(failsafe(pom()), "configuration"), "includes");
        String include = child(includes, "include").getTextContent();
        assertThat(Certify.SUITE.replace('.', '/')).endsWith(include.replace("**/", "").replace(".java", ""));
        assertThat(Class.forName(Certify.SUITE)).isNotNull();
    }

    @Test
    void theSameTestcontainersEnvironmentAsFailsafe() throws Exception {
        Element env = child(child(failsafe(pom()), "configuration"), "environmentVariables");
        Map<String, String> pom = new LinkedHashMap<>();
        for (Node n = env.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                pom.put(c.getTagName(), c.getTextContent().trim());
            }
        }
        Map<String, String> script = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^export (TESTCONTAINERS_\\w+)=(\\S+)$")
                .matcher(Files.readString(Path.of("bin/certify"), StandardCharsets.UTF_8));
        while (m.find()) {
            script.put(m.group(1), m.group(2));
        }
        assertThat(pom).as("pom.xml: Failsafe's environmentVariables").isNotEmpty();
        assertThat(script).as("bin/certify's exports").isEqualTo(pom);
    }
}
