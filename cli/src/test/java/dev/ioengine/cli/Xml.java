package dev.ioengine.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses XML with the JDK's parser ({@code javax.xml.parsers}, namespace aware, no DOCTYPE) into a small tree.
 * Reflective: module {@code dev.ioengine}, which the tests are compiled into, does not read {@code java.xml} (and
 * the library has no reason to), while the tests run on the class path, where every module is readable.
 */
record Xml(String name, String namespace, Map<String, String> attributes, String text, List<Xml> children) {
    private static final short ELEMENT_NODE = 1;

    /** Parses a whole document; throws whatever the parser throws for malformed XML. */
    static Xml parse(String xml) throws Exception {
        try {
            Class<?> factoryClass = Class.forName("javax.xml.parsers.DocumentBuilderFactory");
            Object factory = factoryClass.getMethod("newInstance").invoke(null);
            factoryClass.getMethod("setNamespaceAware", boolean.class).invoke(factory, true);
            factoryClass.getMethod("setFeature", String.class, boolean.class).invoke(factory,
                    "http://apache.org/xml/features/disallow-doctype-decl", true);
            Object builder = factoryClass.getMethod("newDocumentBuilder").invoke(factory);
            Object document = Class.forName("javax.xml.parsers.DocumentBuilder").getMethod("parse", InputStream.class)
                    .invoke(builder, new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            return convert(Class.forName("org.w3c.dom.Document").getMethod("getDocumentElement").invoke(document));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Xml convert(Object element) throws ReflectiveOperationException {
        Class<?> node = Class.forName("org.w3c.dom.Node");
        Class<?> nodeList = Class.forName("org.w3c.dom.NodeList");
        Class<?> namedNodeMap = Class.forName("org.w3c.dom.NamedNodeMap");
        Method getLength = nodeList.getMethod("getLength");
        Method item = nodeList.getMethod("item", int.class);
        Map<String, String> attributes = new LinkedHashMap<>();
        Object attrs = node.getMethod("getAttributes").invoke(element);
        int attrCount = (int) namedNodeMap.getMethod("getLength").invoke(attrs);
        for (int i = 0; i < attrCount; i++) {
            Object a = namedNodeMap.getMethod("item", int.class).invoke(attrs, i);
            attributes.put((String) node.getMethod("getNodeName").invoke(a),
                    (String) node.getMethod("getNodeValue").invoke(a));
        }
        List<Xml> children = new ArrayList<>();
        Object childNodes = node.getMethod("getChildNodes").invoke(element);
        int count = (int) getLength.invoke(childNodes);
        for (int i = 0; i < count; i++) {
            Object child = item.invoke(childNodes, i);
            if ((short) node.getMethod("getNodeType").invoke(child) == ELEMENT_NODE) {
                children.add(convert(child));
            }
        }
        return new Xml((String) node.getMethod("getLocalName").invoke(element),
                (String) node.getMethod("getNamespaceURI").invoke(element), attributes,
                (String) node.getMethod("getTextContent").invoke(element), children);
    }

    /** This element and every element below it, in document order. */
    List<Xml> all() {
        List<Xml> list = new ArrayList<>();
        list.add(this);
        for (Xml child : children) {
            list.addAll(child.all());
        }
        return list;
    }

    String attribute(String attributeName) {
        return attributes.getOrDefault(attributeName, "");
    }
}
