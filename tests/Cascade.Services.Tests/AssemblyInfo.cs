// The tests share 2 cores and one broker; running them one at a time keeps timings and timeouts meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
