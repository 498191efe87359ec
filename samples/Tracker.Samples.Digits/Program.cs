using Tracker.Samples.Digits;

// Trains a 64-64-64-10 ReLU MLP (the compute core's MultilayerPerceptron, Adam) on the digits data set shipped in the
// repository and logs to Tracker (TRACKER_URL / TRACKER_API_KEY, or `tracker login`); saves a checkpoint every epoch
// (the server keeps the best by val_loss), stops on the server's advice, then restores the best checkpoint and scores it.
await DigitsTraining.RunAsync(new DigitsSettings { Epochs = 100, Output = Console.Out });
