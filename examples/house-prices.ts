/**
 * The classic PyTorch house-price snippet, written with this library:
 *
 *   model = HousePriceModel()            # fc1 = nn.Linear(5, 10), fc2 = nn.Linear(10, 1), ReLU
 *   criterion = nn.MSELoss()
 *   optimizer = optim.Adagrad(model.parameters(), lr=0.01)
 *   for epoch in range(100):
 *       loss = criterion(model(inputs), targets); optimizer.zero_grad(); loss.backward(); optimizer.step()
 *       if (epoch + 1) % 10 == 0: print(f'Epoch [{epoch+1}/100], Loss: {loss.item():.4f}')
 *
 * The snippet never says where `inputs` and `targets` come from; here they are five features of the
 * real Boston house prices (rooms per dwelling, % lower-status population, pupil-teacher ratio,
 * distance to employment centres, property tax), standardized, and the median price, standardized
 * too (so a loss of 1 is what predicting the mean price gives). `lossAndGradients` is the forward
 * pass plus loss.backward(); Adagrad here is exactly torch.optim.Adagrad.
 *
 * Run: npx tsx examples/house-prices.ts
 */
import { Adagrad, MlpRegressor } from '../src/index.js';
import { bostonInputs } from './boston-inputs.js';

const { inputs, targets, priceStd } = bostonInputs();

// Initialize the model, loss function, and optimizer
const model = new MlpRegressor({ inputs: 5, hidden: 10, seed: 1 }); // 5 inputs, 10 hidden units, 1 output
const optimizer = new Adagrad(model.parameters, { lr: 0.01 });

// Training loop
for (let epoch = 0; epoch < 100; epoch++) {
  // Forward pass, MSE loss and backward pass
  const { loss, gradients } = model.lossAndGradients(inputs, targets);
  // Optimize
  optimizer.step(gradients);

  if ((epoch + 1) % 10 === 0) console.log(`Epoch [${epoch + 1}/100], Loss: ${loss.toFixed(4)}`);
}

const { loss } = model.lossAndGradients(inputs, targets);
console.log(`Final RMSE: ${(Math.sqrt(loss) * priceStd).toFixed(2)} thousand dollars`);
