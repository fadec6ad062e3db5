package dev.flint.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Maven coordinates of docs/design.md's contract: outside builds depend on {@code dev.flint:flint-*}, so
 * the poms must keep these group and artifact ids. Reads the poms of the checkout this test runs in.
 */
class MavenCoordinatesTest {
  /** Surefire runs in the module's directory; the parent pom is one level up. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void parentIsDevFlintFlintParentAndListsTheModules() throws Exception {
    Element parent = pom(ROOT.resolve("pom.xml"));
    assertEquals("dev.flint", child(parent, "groupId"));
    assertEquals("flint-parent", child(parent, "artifactId"));
    assertEquals("pom", child(parent, "packaging"));
    List<String> modules = new ArrayList<>();
    NodeList list = ((Element) parent.getElementsByTagName("modules").item(0)).getElementsByTagName("module");
    for (int i = 0; i < list.getLength(); i++) {
      modules.add(list.item(i).getTextContent().trim());
    }
    assertTrue(modules.containsAll(List.of("dsl", "runtime", "processor", "examples")), modules.toString());
  }

  @Test
  void eachModuleHasItsContractArtifactIdUnderTheParent() throws Exception {
    String version = child(pom(ROOT.resolve("pom.xml")), "version");
    for (String[] m : new String[][] {
        {"dsl", "flint-dsl"}, {"runtime", "flint-runtime"}, {"processor", "flint-processor"}, {"examples", "flint-examples"}}) {
      Path file = ROOT.resolve(m[0]).resolve("pom.xml");
      assertTrue(Files.exists(file), file + " exists");
      Element project = pom(file);
      assertEquals(m[1], child(project, "artifactId"), file.toString());
      Element parentRef = (Element) project.getElementsByTagName("parent").item(0);
      assertEquals("dev.flint", child(parentRef, "groupId"), file + ": parent groupId");
      assertEquals("flint-parent", child(parentRef, "artifactId"), file + ": parent artifactId");
      assertEquals(version, child(parentRef, "version"), file + ": parent version");
      String group = child(project, "groupId");
      assertTrue(group == null || group.equals("dev.flint"), file + ": groupId " + group);
    }
  }

  private static Element pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  /** The text of {@code parent}'s direct child element {@code name}, or null. */
  private static String child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        return n.getTextContent().trim();
      }
    }
    return null;
  }
}
