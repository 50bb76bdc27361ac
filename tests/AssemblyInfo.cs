// Deployment.TestAsync keeps global state: the Pulumi SDK does not support running it in parallel.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
