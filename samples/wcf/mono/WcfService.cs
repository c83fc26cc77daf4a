// A WCF service (Mono's System.ServiceModel) with message security, for interop tests: it
// accepts one message on a one-way operation, prints what it received and who sent it, and exits.
// Prints "RECEIVED ..." when the operation ran and "ERROR <exception>" for each message the
// dispatcher rejected (Mono answers those with HTTP 200 and says nothing else).
//
//   mcs -r:System.ServiceModel -r:System.Runtime.Serialization -r:System.IdentityModel \
//       -out:WcfService.exe WcfService.cs
//   mono WcfService.exe <variant> <keys-dir> <port>     (variants: mc11, mc10, username11, each optionally with -es)
using System;
using System.IdentityModel.Selectors;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.ServiceModel.Description;
using System.ServiceModel.Dispatcher;
using System.ServiceModel.Security;
using System.Threading;

[ServiceContract(Namespace = "urn:example:orders")]
public interface IOrders
{
    [OperationContract(IsOneWay = true, Action = "urn:example:orders/PlaceOrder")]
    void PlaceOrder(string item, int quantity);
}

public class Orders : IOrders
{
    public static readonly ManualResetEvent Received = new ManualResetEvent(false);
    public void PlaceOrder(string item, int quantity)
    {
        var ctx = ServiceSecurityContext.Current;
        Console.WriteLine("RECEIVED item=" + item + " quantity=" + quantity + " identity=" +
            (ctx == null ? "(none)" : ctx.PrimaryIdentity.Name));
        Console.Out.Flush();
        Received.Set();
    }
}

// Prints every exception the dispatcher meets: Mono answers a message it rejects with HTTP 200
// and an empty body on a one-way contract, so this is the only place the reason shows.
public class PrintErrors : IServiceBehavior, IErrorHandler
{
    public void AddBindingParameters(ServiceDescription d, ServiceHostBase h,
        System.Collections.ObjectModel.Collection<ServiceEndpoint> e, BindingParameterCollection p) { }
    public void Validate(ServiceDescription d, ServiceHostBase h) { }
    public void ApplyDispatchBehavior(ServiceDescription d, ServiceHostBase h)
    {
        foreach (var cd in h.ChannelDispatchers)
        {
            var dispatcher = cd as ChannelDispatcher;
            if (dispatcher != null) dispatcher.ErrorHandlers.Add(this);
        }
    }
    public bool HandleError(Exception error)
    {
        Console.WriteLine("ERROR " + error.ToString().Replace("\n", "\n  "));
        Console.Out.Flush();
        return true;
    }
    public void ProvideFault(Exception error, MessageVersion version, ref Message fault) { }
}

public class AcceptAll : UserNamePasswordValidator
{
    public override void Validate(string userName, string password)
    {
        if (userName != "alice" || password != "correct horse")
            throw new System.IdentityModel.Tokens.SecurityTokenException("bad password");
    }
}

public static class WcfService
{
    public static int Main(string[] args)
    {
        string variant = args[0], keys = args[1];
        string url = "http://127.0.0.1:" + args[2] + "/orders/";
        var wss11 = MessageSecurityVersion
            .WSSecurity11WSTrustFebruary2005WSSecureConversationFebruary2005WSSecurityPolicy11BasicSecurityProfile10;
        var wss10 = MessageSecurityVersion
            .WSSecurity10WSTrustFebruary2005WSSecureConversationFebruary2005WSSecurityPolicy11BasicSecurityProfile10;
        SecurityBindingElement security =
            variant.StartsWith("mc10") ? SecurityBindingElement.CreateMutualCertificateBindingElement(wss10, false)
            : variant.StartsWith("username11") ? SecurityBindingElement.CreateUserNameForCertificateBindingElement()
            : SecurityBindingElement.CreateMutualCertificateBindingElement(wss11, false);
        if (variant.StartsWith("username11")) security.MessageSecurityVersion = wss11;
        // Mono's default (SignBeforeEncryptAndEncryptSignature) rejects messages whose signature
        // is not encrypted; "-es" variants ask for it, the others for SignBeforeEncrypt.
        var order = variant.EndsWith("-es")
            ? MessageProtectionOrder.SignBeforeEncryptAndEncryptSignature
            : MessageProtectionOrder.SignBeforeEncrypt;
        var symmetric = security as SymmetricSecurityBindingElement;
        if (symmetric != null) symmetric.MessageProtectionOrder = order;
        var asymmetric = security as AsymmetricSecurityBindingElement;
        if (asymmetric != null) asymmetric.MessageProtectionOrder = order;
        var binding = new CustomBinding(security,
            new TextMessageEncodingBindingElement(MessageVersion.Soap12WSAddressing10, System.Text.Encoding.UTF8),
            new HttpTransportBindingElement());
        var host = new ServiceHost(typeof(Orders), new Uri(url));
        host.AddServiceEndpoint(typeof(IOrders), binding, "");
        var creds = host.Description.Behaviors.Find<ServiceCredentials>();
        if (creds == null) { creds = new ServiceCredentials(); host.Description.Behaviors.Add(creds); }
        creds.ServiceCertificate.Certificate =
            new X509Certificate2(Path.Combine(keys, "service.pfx"), "test", X509KeyStorageFlags.Exportable);
        creds.ClientCertificate.Authentication.CertificateValidationMode =
            X509CertificateValidationMode.None;
        creds.UserNameAuthentication.UserNamePasswordValidationMode =
            UserNamePasswordValidationMode.Custom;
        creds.UserNameAuthentication.CustomUserNamePasswordValidator = new AcceptAll();
        var debug = host.Description.Behaviors.Find<ServiceDebugBehavior>();
        if (debug != null) debug.IncludeExceptionDetailInFaults = true;
        host.Description.Behaviors.Add(new PrintErrors());
        host.Open();
        Console.WriteLine("LISTENING " + url);
        Console.Out.Flush();
        bool got = Orders.Received.WaitOne(int.Parse(args.Length > 3 ? args[3] : "30000"));
        host.Close();
        return got ? 0 : 1;
    }
}
