using Pulumi;
using PortsipInfra;

return await Deployment.RunAsync<SiteStack>();
