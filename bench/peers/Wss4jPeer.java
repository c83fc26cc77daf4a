/*
 * Benchmark peer: Apache WSS4J 1.6 (Debian libwss4j-java, Santuario 2.1) securing and opening
 * the same envelope with the same algorithms as wsseq: RSA-SHA256 signature over Body and
 * Timestamp (exclusive c14n, SHA-256 digests, BinarySecurityToken direct reference), then the
 * Body content encrypted with AES-256-GCM under a key wrapped by RSA-OAEP (issuer-serial
 * reference to the service certificate). One JVM for the whole benchmark run, driven by a line
 * protocol on stdin/stdout (one command per line, one reply line each):
 *
 *   warm <seconds> <envelope-file>          secure+open in a loop      -> ok <rounds>
 *   secure <envelope-file> <out-file>       secure once, write it      -> ok
 *   open <message-file> <out-file>          open once, write the Body  -> ok <actions>
 *   bench secure|open <file> <seconds>      time a loop                -> {json}
 *   quit
 *
 * Any failure replies "error <message>" on one line. CPU time is the whole process's (JIT and
 * GC threads included), as Node's process.cpuUsage() and Python's process_time() report.
 *
 * argv: client.p12 client-password service.p12 service-password ca-chain.pem
 */
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.ws.security.WSConstants;
import org.apache.ws.security.WSEncryptionPart;
import org.apache.ws.security.WSPasswordCallback;
import org.apache.ws.security.WSSConfig;
import org.apache.ws.security.WSSecurityEngine;
import org.apache.ws.security.WSSecurityEngineResult;
import org.apache.ws.security.components.crypto.Merlin;
import org.apache.ws.security.message.WSSecEncrypt;
import org.apache.ws.security.message.WSSecHeader;
import org.apache.ws.security.message.WSSecSignature;
import org.apache.ws.security.message.WSSecTimestamp;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

public final class Wss4jPeer {
  private static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
  private static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
  private static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
  private static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
  private static final String AES256_GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
  private static final String RSA_OAEP = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";

  private final Merlin clientCrypto;
  private final Merlin serviceCrypto;
  private final X509Certificate serviceCertificate;
  private final String clientAlias;
  private final String clientPassword;
  private final CallbackHandler passwords;
  private final DocumentBuilder builder;
  private final Transformer serializer;
  /** One engine for every message, as a deployed WSS4J handler keeps its configuration. */
  private final WSSecurityEngine engine = new WSSecurityEngine();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  Wss4jPeer(String clientP12, String clientPass, String serviceP12, String servicePass, String caPem)
      throws Exception {
    KeyStore client = loadP12(clientP12, clientPass);
    KeyStore service = loadP12(serviceP12, servicePass);
    clientAlias = firstKeyAlias(client);
    clientPassword = clientPass;
    String serviceAlias = firstKeyAlias(service);
    serviceCertificate = (X509Certificate) service.getCertificate(serviceAlias);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    int i = 0;
    try (InputStream in = new FileInputStream(caPem)) {
      for (Certificate c : cf.generateCertificates(in)) trust.setCertificateEntry("ca" + i++, c);
    }
    clientCrypto = new Merlin();
    clientCrypto.setKeyStore(client);
    clientCrypto.setTrustStore(trust);
    serviceCrypto = new Merlin();
    serviceCrypto.setKeyStore(service);
    serviceCrypto.setTrustStore(trust);
    final String cp = clientPass;
    final String sp = servicePass;
    final String ca = clientAlias;
    passwords =
        (Callback[] callbacks) -> {
          for (Callback cb : callbacks) {
            if (cb instanceof WSPasswordCallback) {
              WSPasswordCallback pc = (WSPasswordCallback) cb;
              pc.setPassword(ca.equals(pc.getIdentifier()) ? cp : sp);
            }
          }
        };
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    builder = dbf.newDocumentBuilder();
    serializer = TransformerFactory.newInstance().newTransformer();
    serializer.setOutputProperty("omit-xml-declaration", "yes");
    WSSConfig config = WSSConfig.getNewInstance();
    config.setTimeStampStrict(true);
    engine.setWssConfig(config);
  }

  private static KeyStore loadP12(String file, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(file)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  private static String firstKeyAlias(KeyStore ks) throws Exception {
    for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
      String a = e.nextElement();
      if (ks.isKeyEntry(a)) return a;
    }
    throw new IllegalArgumentException("no private key in keystore");
  }

  private Document parse(byte[] xml) throws Exception {
    return builder.parse(new ByteArrayInputStream(xml));
  }

  private byte[] serialize(Node node) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer.transform(new DOMSource(node), new StreamResult(out));
    return out.toByteArray();
  }

  private static String soapNs(Document doc) {
    String ns = doc.getDocumentElement().getNamespaceURI();
    return SOAP12.equals(ns) ? SOAP12 : SOAP11;
  }

  /** Sign Body and Timestamp, then encrypt the Body content: what wsseq's default does. */
  byte[] secure(byte[] envelope) throws Exception {
    Document doc = parse(envelope);
    String soap = soapNs(doc);
    WSSecHeader header = new WSSecHeader();
    header.setMustUnderstand(true);
    header.insertSecurityHeader(doc);
    WSSecTimestamp timestamp = new WSSecTimestamp();
    timestamp.setTimeToLive(3600);
    timestamp.build(doc, header);

    WSSecSignature signature = new WSSecSignature();
    signature.setUserInfo(clientAlias, clientPassword);
    signature.setKeyIdentifierType(WSConstants.BST_DIRECT_REFERENCE);
    signature.setSignatureAlgorithm(RSA_SHA256);
    signature.setSigCanonicalization(WSConstants.C14N_EXCL_OMIT_COMMENTS);
    signature.setDigestAlgo(SHA256);
    List<WSEncryptionPart> signed = new ArrayList<>();
    signed.add(new WSEncryptionPart("Body", soap, ""));
    signed.add(new WSEncryptionPart("Timestamp", WSConstants.WSU_NS, ""));
    signature.setParts(signed);
    signature.build(doc, clientCrypto, header);

    WSSecEncrypt encrypt = new WSSecEncrypt();
    encrypt.setUseThisCert(serviceCertificate);
    encrypt.setKeyIdentifierType(WSConstants.ISSUER_SERIAL);
    encrypt.setSymmetricEncAlgorithm(AES256_GCM);
    encrypt.setKeyEnc(RSA_OAEP);
    List<WSEncryptionPart> encrypted = new ArrayList<>();
    encrypted.add(new WSEncryptionPart("Body", soap, "Content"));
    encrypt.setParts(encrypted);
    encrypt.build(doc, serviceCrypto, header);
    return serialize(doc);
  }

  /**
   * Verify and decrypt; checks that a signature and a decryption happened and that the Body
   * was signed. Returns the decrypted Body. WSS4J also validates the Timestamp and the signer's
   * certificate path against the CA chain.
   */
  Element open(byte[] message, StringBuilder actions) throws Exception {
    Document doc = parse(message);
    List<WSSecurityEngineResult> results =
        engine.processSecurityHeader(doc, null, passwords, serviceCrypto, serviceCrypto);
    boolean sign = false;
    boolean encr = false;
    boolean ts = false;
    for (WSSecurityEngineResult r : results) {
      int action = (Integer) r.get(WSSecurityEngineResult.TAG_ACTION);
      if (action == WSConstants.SIGN) sign = true;
      if (action == WSConstants.ENCR) encr = true;
      if (action == WSConstants.TS) ts = true;
    }
    if (!sign || !encr || !ts) {
      throw new IllegalStateException("missing action: sign=" + sign + " encr=" + encr + " ts=" + ts);
    }
    if (actions != null) actions.append("sign,encrypt,timestamp");
    String soap = soapNs(doc);
    Element body = null;
    for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && "Body".equals(n.getLocalName()) && soap.equals(n.getNamespaceURI())) {
        body = (Element) n;
      }
    }
    if (body == null) throw new IllegalStateException("no Body");
    return body;
  }

  private long cpuNanos() {
    return os.getProcessCpuTime();
  }

  private String bench(String what, byte[] input, double seconds) throws Exception {
    boolean secure = "secure".equals(what);
    if (secure) secure(input);
    else open(input, null);
    List<Double> times = new ArrayList<>();
    long cpu0 = cpuNanos();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end || times.size() < 3) {
      long t = System.nanoTime();
      if (secure) secure(input);
      else open(input, null);
      times.add((System.nanoTime() - t) / 1e6);
    }
    long cpu = cpuNanos() - cpu0;
    double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double total = Arrays.stream(sorted).sum();
    int n = sorted.length;
    return String.format(
        java.util.Locale.ROOT,
        "{\"ops\":%d,\"opsPerSecond\":%.4f,\"cpuMsPerOp\":%.4f,\"p50Ms\":%.4f,\"p99Ms\":%.4f}",
        n,
        n * 1000.0 / total,
        cpu / 1e6 / n,
        sorted[n / 2],
        sorted[Math.min(n - 1, (int) (n * 0.99))]);
  }

  private String handle(String line) throws Exception {
    String[] a = line.trim().split(" ");
    switch (a[0]) {
      case "warm":
        {
          byte[] envelope = Files.readAllBytes(Paths.get(a[2]));
          long end = System.nanoTime() + (long) (Double.parseDouble(a[1]) * 1e9);
          int rounds = 0;
          while (System.nanoTime() < end) {
            open(secure(envelope), null);
            rounds++;
          }
          return "ok " + rounds;
        }
      case "secure":
        Files.write(Paths.get(a[2]), secure(Files.readAllBytes(Paths.get(a[1]))));
        return "ok";
      case "open":
        {
          StringBuilder actions = new StringBuilder();
          Element body = open(Files.readAllBytes(Paths.get(a[1])), actions);
          Files.write(Paths.get(a[2]), serialize(body));
          return "ok " + actions;
        }
      case "bench":
        return bench(a[1], Files.readAllBytes(Paths.get(a[2])), Double.parseDouble(a[3]));
      default:
        throw new IllegalArgumentException("unknown command " + a[0]);
    }
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // Keep library logging off the protocol channel.
    System.setOut(System.err);
    java.util.logging.LogManager.getLogManager().reset();
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
    Wss4jPeer peer = new Wss4jPeer(args[0], args[1], args[2], args[3], args[4]);
    out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.trim().equals("quit")) break;
      String reply;
      try {
        reply = peer.handle(line);
      } catch (Throwable e) {
        reply = ("error " + e).replace('\n', ' ');
      }
      out.println(reply);
    }
  }
}
