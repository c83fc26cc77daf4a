// A WCF client (Mono's System.ServiceModel) that sends one one-way message with message
// security to a local HttpListener, which writes the request as received to a file.
// Used to capture test vectors (test/vectors/wcf) and, with --send-to, to call a wsseq receiver.
//
//   mcs -r:System.ServiceModel -r:System.Runtime.Serialization -r:System.IdentityModel \
//       -out:WcfCapture.exe WcfCapture.cs
//   mono WcfCapture.exe <variant> <keys-dir> <out-file> [port]
//
// Variants: mc11-sign-encrypt, mc11-encrypt-signature, mc11-soap11, mc11-basic256sha256,
//           mc10, username11.
using System;
using System.IO;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.ServiceModel.Security;
using System.ServiceModel.Security.Tokens;
using System.Threading;

[ServiceContract(Namespace = "urn:example:orders")]
public interface IOrders
{
    [OperationContract(IsOneWay = true, Action = "urn:example:orders/PlaceOrder")]
    void PlaceOrder(string item, int quantity);
}

public static class WcfCapture
{
    public static int Main(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: WcfCapture <variant> <keys-dir> <out-file> [port]");
            return 2;
        }
        string variant = args[0], keys = args[1], outFile = args[2];
        int port = args.Length > 3 ? int.Parse(args[3]) : 18080 + new Random().Next(1000);
        string url = "http://127.0.0.1:" + port + "/orders/";

        var listener = new HttpListener();
        listener.Prefixes.Add(url);
        listener.Start();
        var done = new ManualResetEvent(false);
        new Thread(() =>
        {
            var ctx = listener.GetContext();
            using (var ms = new MemoryStream())
            {
                ctx.Request.InputStream.CopyTo(ms);
                File.WriteAllBytes(outFile, ms.ToArray());
            }
            File.WriteAllText(outFile + ".content-type", ctx.Request.ContentType ?? "");
            ctx.Response.StatusCode = 202;
            ctx.Response.Close();
            done.Set();
        }).Start();

        var clientCert = new X509Certificate2(Path.Combine(keys, "client.pfx"), "test",
            X509KeyStorageFlags.Exportable);
        var serviceCert = new X509Certificate2(Path.Combine(keys, "service.pem"));

        SecurityBindingElement security;
        MessageVersion messageVersion = MessageVersion.Soap12WSAddressing10;
        var wss11 = MessageSecurityVersion
            .WSSecurity11WSTrustFebruary2005WSSecureConversationFebruary2005WSSecurityPolicy11BasicSecurityProfile10;
        var wss10 = MessageSecurityVersion
            .WSSecurity10WSTrustFebruary2005WSSecureConversationFebruary2005WSSecurityPolicy11BasicSecurityProfile10;
        switch (variant)
        {
            case "mc11-sign-encrypt":
            case "mc11-encrypt-signature":
            case "mc11-soap11":
            case "mc11-basic256sha256":
                security = SecurityBindingElement.CreateMutualCertificateBindingElement(wss11, false);
                break;
            case "mc10":
                security = SecurityBindingElement.CreateMutualCertificateBindingElement(wss10, false);
                break;
            case "username11":
                security = SecurityBindingElement.CreateUserNameForCertificateBindingElement();
                security.MessageSecurityVersion = wss11;
                break;
            default:
                Console.Error.WriteLine("unknown variant " + variant);
                return 2;
        }
        if (variant == "mc11-soap11") messageVersion = MessageVersion.Soap11;
        if (variant == "mc11-basic256sha256")
            security.DefaultAlgorithmSuite = SecurityAlgorithmSuite.Basic256Sha256;
        var symmetric = security as SymmetricSecurityBindingElement;
        if (symmetric != null)
        {
            symmetric.MessageProtectionOrder = variant == "mc11-encrypt-signature"
                ? MessageProtectionOrder.SignBeforeEncryptAndEncryptSignature
                : MessageProtectionOrder.SignBeforeEncrypt;
        }
        var asymmetric = security as AsymmetricSecurityBindingElement;
        if (asymmetric != null) asymmetric.MessageProtectionOrder = MessageProtectionOrder.SignBeforeEncrypt;
        security.IncludeTimestamp = true;

        var binding = new CustomBinding(
            security,
            new TextMessageEncodingBindingElement(messageVersion, System.Text.Encoding.UTF8),
            new HttpTransportBindingElement());
        var address = new EndpointAddress(new Uri(url),
            new X509CertificateEndpointIdentity(serviceCert));
        var factory = new ChannelFactory<IOrders>(binding, address);
        factory.Credentials.ClientCertificate.Certificate = clientCert;
        factory.Credentials.ServiceCertificate.DefaultCertificate = serviceCert;
        factory.Credentials.ServiceCertificate.Authentication.CertificateValidationMode =
            X509CertificateValidationMode.None;
        factory.Credentials.ServiceCertificate.Authentication.RevocationMode =
            X509RevocationMode.NoCheck;
        if (variant == "username11")
        {
            factory.Credentials.UserName.UserName = "alice";
            factory.Credentials.UserName.Password = "correct horse";
        }
        var channel = factory.CreateChannel();
        try
        {
            channel.PlaceOrder("widget", 3);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("client: " + e);
        }
        bool got = done.WaitOne(20000);
        listener.Stop();
        if (!got)
        {
            Console.Error.WriteLine("no request captured");
            return 1;
        }
        Console.WriteLine(DateTime.UtcNow.ToString("o"));
        return 0;
    }
}
