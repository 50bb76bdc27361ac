namespace PortsipInfra.Tests.Support;

/// <summary>Stack configs for tests, starting from the guides' own site (Pulumi.prod.yaml).</summary>
public static class Sites
{
    public const string P = PulumiRun.Project + ":";

    public static Dictionary<string, string> Prod() => StackFile.Load("prod").WithSecrets();

    /// <summary>The prod site with one config key replaced (a JSON text for structured keys).</summary>
    public static Dictionary<string, string> ProdWith(string key, string value)
    {
        var config = Prod();
        config[P + key] = value;
        return config;
    }

    public static Dictionary<string, string> ProdWithout(string key)
    {
        var config = Prod();
        config.Remove(P + key);
        return config;
    }

    /// <summary>The smallest valid site: pbx01, the virtual IP and a key.</summary>
    public static Dictionary<string, string> Minimal() => new Dictionary<string, string>
    {
        [P + "pbx01"] = "192.168.1.131",
        [P + "virtualIp"] = "192.168.1.130",
    }.WithSecrets();

    public static Dictionary<string, string> MinimalWith(string key, string value)
    {
        var config = Minimal();
        config[P + key] = value;
        return config;
    }
}
